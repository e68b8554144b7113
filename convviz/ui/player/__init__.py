"""The step-through player: the kernel sliding over the input, every product, the sum and the
similarity of patch and kernel, one step at a time (issue 4). :class:`PlayerPanel` is the tab."""

from .panel import PlayerPanel

__all__ = ["PlayerPanel"]
