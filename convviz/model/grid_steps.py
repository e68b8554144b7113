"""Lazy step sequences over a grid visited row-major: a convolution's or a pooling's outputs, a transposed
convolution's input pixels. Length, negative indices, slices and the range check live here once; a subclass
makes one step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class GridSteps(Sequence):
    """Steps, one per position of a ``(rows, cols)`` grid in row-major order, computed when indexed.

    A subclass gives the grid (:meth:`_grid_hw`), what its positions are called in messages
    (``position_name``) and step ``i`` at grid position ``(row, col)`` (:meth:`_step`).
    """

    position_name = "output"

    def _grid_hw(self) -> tuple[int, int]:
        raise NotImplementedError

    def _step(self, index: int, row: int, col: int) -> Any:
        raise NotImplementedError

    def __len__(self) -> int:
        rows, cols = self._grid_hw()
        return rows * cols

    def index_of(self, row: int, col: int) -> int:
        """Step index of grid position ``(row, col)``."""
        rows, cols = self._grid_hw()
        if not (0 <= row < rows and 0 <= col < cols):
            raise IndexError(f"{self.position_name} position {(row, col)} outside {rows}×{cols}")
        return row * cols + col

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        n, i = len(self), int(index)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"step {index} out of range for {n} steps")
        return self._step(i, *divmod(i, self._grid_hw()[1]))
