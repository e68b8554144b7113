"""The "Learn from labels" tab: a small CNN learns its filters from labelled handwritten digits."""
