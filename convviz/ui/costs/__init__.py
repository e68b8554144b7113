"""The Costs tab: a conv layer against a dense layer, and a chain of conv layers."""
