"""Everything the step-through player draws, computed without Qt.

:func:`build_player` turns the document and the prepared picture into a :class:`PlayerBuild`
(the region, its grid, its lazy steps and outputs); :func:`grid_cells` gives the colours and
texts of its input, output and similarity grids; :func:`step_frame` what changes from one
step (or, in lecture mode, one product) to the next; :func:`inspect_cell` the outputs a
pixel contributes to. The panel only hands these to its widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from .colour import display_levels, display_rgb, levels_from_range
from .player_plane import ImagePlane
from .player_region import (
    PlayerRegion,
    contributions,
    player_region,
    region_grid,
    region_output,
    region_similarity,
    region_steps,
    window_cells,
)
from .step_numbers import NumberStyle, number_style
from .step_texts import (
    cell_texts,
    input_title,
    inspection_text,
    kernel_title,
    output_title,
    product_texts,
    product_values,
    readout_text,
    similarity_texts,
    sum_text,
    weight_texts,
)
from .stepping import StepSequence

if TYPE_CHECKING:
    from .document import ConvDocument

#: inputs up to this many pixels are coloured with the levels of the whole picture
WHOLE_LEVELS_PIXELS = 1 << 16
#: grey for cells whose cosine similarity is undefined
UNDEFINED_RGB = (200, 200, 200)
#: the overview thumbnail is sampled down to at most this many pixels on its long side
THUMB_SIDE = 256


def diverging_rgb(values: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` uint8 colours of signed numbers: coolwarm with symmetric levels (0 in the middle)."""
    v = np.asarray(values, dtype=np.float64)
    finite = v[np.isfinite(v)]
    m = float(np.abs(finite).max()) if finite.size else 0.0
    return display_rgb(v, colormap="coolwarm", levels=levels_from_range(-m, m) if m > 0 else (-1.0, 1.0))


@dataclass(frozen=True)
class PlayerBuild:
    """One document, picture and region, ready to step through.

    ``source`` is the ``(H, W)`` picture (an array or an
    :class:`~convviz.model.player_plane.ImagePlane`, read only where the region is),
    ``grid``/``in_image`` the shown (padded) cells and the mask of real pixels, ``steps`` the
    region's lazy steps, ``output`` their values (``region.output_shape``), ``kernel`` the kernel
    as slid (flipped for true convolution), ``style`` how its numbers are written so that the
    products add up to the sum.
    """

    source: np.ndarray | ImagePlane
    region: PlayerRegion
    grid: np.ndarray
    in_image: np.ndarray
    steps: StepSequence
    output: np.ndarray
    kernel: np.ndarray
    padding_mode: str
    flip: bool
    style: NumberStyle

    @property
    def count(self) -> int:
        return len(self.steps)

    @property
    def taps(self) -> int:
        """Products per step (the kernel's weights)."""
        return int(self.kernel.size)

    @cached_property
    def similarity(self) -> np.ndarray:
        """Cosine similarity of every stepped patch with the kernel (computed once, when asked)."""
        return region_similarity(self.grid, self.kernel, self.region)


def build_player(document: ConvDocument, source: np.ndarray | ImagePlane,
                 crop: tuple[int, int, int, int]) -> PlayerBuild:
    """The player's build for ``document``'s settings on ``source`` (``(H, W)``) around ``crop``.

    Raises ``ValueError`` (with a sentence) for settings the convolution refuses.
    """
    kernel = document.kernel[::-1, ::-1] if document.flip else document.kernel
    region = player_region(source.shape, kernel.shape, document.padding, stride=document.stride,
                           dilation=document.dilation, crop=crop)
    grid, in_image = region_grid(source, region, document.padding_mode)
    seq = region_steps(grid, kernel, region)
    output = region_output(grid, kernel, region)
    return PlayerBuild(source, region, grid, in_image, seq, output, kernel, document.padding_mode,
                       bool(document.flip), number_style(grid, kernel))


@dataclass(frozen=True)
class GridCells:
    """Colours ``(rows, cols, 3)`` uint8, texts (row lists) and the title of one grid; ``short_texts``
    are drawn instead of ``texts`` on cells too small to read those (the products alone);
    ``exact_texts`` the values as the products write them, where ``texts`` round them (the window's
    cells show those)."""

    colours: np.ndarray
    texts: list[list[str]]
    title: str = ""
    padding: np.ndarray | None = None
    short_texts: list[list[str]] | None = None
    exact_texts: list[list[str]] | None = None


def grid_cells(build: PlayerBuild) -> tuple[GridCells, GridCells]:
    """The input grid (padding hatched, levels of the whole picture when it is small) and the output grid."""
    source, grid = build.source, build.grid
    levels = display_levels(np.asarray(source) if source.size <= WHOLE_LEVELS_PIXELS else grid)
    texts = cell_texts(grid)
    exact = [[build.style.value(v) for v in row] for row in grid.tolist()]
    rounded = exact != texts
    shown_input = GridCells(display_rgb(grid, levels=levels), texts,
                            input_title(build.region, build.padding_mode, rounded=rounded), ~build.in_image,
                            exact_texts=exact if rounded else None)
    out = build.output
    signed = bool(out.size) and float(np.nanmin(out)) < 0
    shown_output = GridCells(diverging_rgb(out) if signed else display_rgb(out), cell_texts(out),
                             output_title(build.region))
    return shown_input, shown_output


def kernel_cells(build: PlayerBuild) -> GridCells:
    """The kernel as slid (flipped for true convolution): weights written as the products write
    them, coloured on a diverging map centred on 0."""
    k = build.kernel
    return GridCells(diverging_rgb(k), weight_texts(k, build.style), kernel_title(k.shape, build.flip))


def window_labels(build: PlayerBuild) -> list[list[str]]:
    """The small ``×w`` written in each input cell under the sliding window, as row lists."""
    return [[f"×{t}" for t in row] for row in weight_texts(build.kernel, build.style)]


def similarity_cells(build: PlayerBuild) -> GridCells:
    """The cosine-similarity grid: −1…1 on coolwarm, grey where undefined."""
    sim = build.similarity
    rgb = display_rgb(sim, colormap="coolwarm", levels=(-1.0, 1.0))
    rgb[~np.isfinite(sim)] = UNDEFINED_RGB
    return GridCells(rgb, similarity_texts(sim))


@dataclass(frozen=True)
class StepFrame:
    """What one position shows: the kernel window over the input (``window`` rows, cols), the
    output cell being written and how many are filled, the products, the highlighted tap
    (lecture mode), the sum and the readout."""

    index: int
    revealed: int
    complete: bool
    window: tuple[np.ndarray, np.ndarray]
    out_cell: tuple[int, int]
    filled: int
    products: GridCells
    product_accent: tuple[int, int] | None
    input_accent: tuple[int, int] | None
    sum_text: str
    readout: str
    position_text: str


def step_frame(build: PlayerBuild, index: int, revealed: int, *, lecture: bool) -> StepFrame:
    """The frame of step ``index`` with ``revealed`` of its products shown (all: ``build.taps``)."""
    region, step = build.region, build.steps[index]
    taps = build.taps
    complete = revealed >= taps
    kw = step.kernel.shape[1]
    rows, cols = window_cells(region, index)
    product_accent = input_accent = None
    if lecture and 0 < revealed < taps:
        tr, tc = divmod(revealed - 1, kw)
        product_accent, input_accent = (tr, tc), (int(rows[tr]), int(cols[tc]))
    return StepFrame(
        index=index, revealed=revealed, complete=complete, window=(rows, cols),
        out_cell=divmod(index, region.output_shape[1]), filled=index + 1 if complete else index,
        products=GridCells(diverging_rgb(step.products), product_texts(step, build.style),
                           short_texts=product_values(step, build.style, stacked=True)),
        product_accent=product_accent, input_accent=input_accent,
        sum_text=sum_text(step, revealed, build.style),
        readout=readout_text(step, region, build.count, revealed, flip=build.flip, style=build.style),
        position_text=f"step {index + 1} / {build.count}")


@dataclass(frozen=True)
class Inspection:
    """The inspected shown-grid ``cell``, the output cells it contributes to (local ``(row, col)``,
    with their step indices) and the sentence saying so."""

    cell: tuple[int, int]
    outputs: list[tuple[int, int]]
    steps: list[int]
    text: str


def inspect_cell(build: PlayerBuild, cell: tuple[int, int] | None) -> Inspection | None:
    """What inspecting ``cell`` of the shown grid shows; ``None`` for no cell or one outside the grid."""
    if cell is None:
        return None
    gr, gc = cell
    if not (0 <= gr < build.grid.shape[0] and 0 <= gc < build.grid.shape[1]):
        return None
    hits = contributions(build.region, build.steps, gr, gc)
    outputs = [divmod(j, build.region.output_shape[1]) for j in hits]
    text = inspection_text(build.region, float(build.grid[gr, gc]), bool(build.in_image[gr, gc]), (gr, gc), outputs)
    return Inspection((gr, gc), outputs, hits, text)


def overview_rgb(image) -> np.ndarray:
    """A thumbnail of ``image`` (``(H, W)`` or ``(H, W, 3)``, or an
    :class:`~convviz.model.player_plane.ImagePlane`, read only where sampled) as ``(h, w, 3)`` uint8, at most
    :data:`THUMB_SIDE` on its long side (every n-th pixel)."""
    step = max(1, int(np.ceil(max(np.shape(image)[:2]) / THUMB_SIDE)))
    thumb = image.sampled(step) if isinstance(image, ImagePlane) else np.asarray(image)[::step, ::step]
    if thumb.ndim == 3:
        return np.ascontiguousarray(display_rgb(thumb, clip_to_image_range=True))
    in_byte_range = thumb.size and thumb.min() >= 0 and thumb.max() <= 255
    return np.ascontiguousarray(display_rgb(thumb, levels=(0.0, 255.0) if in_byte_range else None))

