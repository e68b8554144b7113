"""The sentences the Filter bank tab writes (no Qt): shapes, layer choices, map captions, the
receptive field and the channel-by-channel arithmetic of one output pixel.

Numbers are written with :func:`~convviz.model.format_number`; lines meant for rich-text labels
use ``<b>`` for the results and escape names with :func:`html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..presets import PRESETS
from ..stepping import format_number
from .channels import Decomposition
from .filters import ACTIVATION_LABELS
from .layers import BankLayer, LayerSettings
from .network import Network, Region, StageShape

#: a channel's products listed before "… N more"
MAX_TERMS = 9
#: channel sums listed in Σ before "… N more"
MAX_SUM_TERMS = 12


def hw_text(pair) -> str:
    """``(3, 5)`` → ``"3×5"``."""
    return f"{pair[0]}×{pair[1]}"


def padding_text(padding) -> str:
    """A padding name as it is, a pair as ``"1×2"``."""
    return padding if isinstance(padding, str) else hw_text(padding)


def display_name(name: str) -> str:
    """How a filter's name is shown: a preset key as the preset's short name (``"sobel_x"`` → ``"Sobel x"``),
    another all-lower-case name with spaces and a capital (``"red minus green"`` → ``"Red minus green"``),
    any other name as it was typed. The stored name (lessons, files) stays the key."""
    preset = PRESETS.get(name)
    if preset is not None:
        return preset.name.split(" (")[0]
    if name != name.lower() or not name:
        return name
    words = name.replace("_", " ")
    return words[0].upper() + words[1:]


def display_names(names: Sequence[str]) -> list[str]:
    return [display_name(n) for n in names]


def shape_text(shape) -> str:
    """``(5, 5, 3, 4)`` → ``"5×5×3×4"``."""
    return "×".join(str(int(v)) for v in shape)


def shape_lines(shapes: Sequence[StageShape], network: Network, first: LayerSettings) -> list[str]:
    """One line per layer in one notation, channels last (H, W, C), with PyTorch's weight shape
    ``(C_out, C_in, K, K)`` beside the bank's ``(H, W, C_in, C_out)``, and the settings (rich text)."""
    lines = []
    for i, s in enumerate(shapes):
        st = network.settings_for(i, first)
        oh, ow, co = s.output_shape
        lines.append(f"Layer {i + 1}: input <b>{shape_text(s.input_shape)}</b> (H, W, C_in) &nbsp;*&nbsp; "
                     f"bank <b>{shape_text(s.hwio_shape)}</b> (H, W, C_in, C_out) — PyTorch weight "
                     f"{tuple(s.torch_shape)} &nbsp;→&nbsp; output <b>{oh}×{ow}×{co}</b> (H', W', C_out) "
                     f"&nbsp;<span style='color:gray'>[padding {padding_text(st.padding)}, stride "
                     f"{hw_text(st.stride)}, dilation {hw_text(st.dilation)}, "
                     f"{ACTIVATION_LABELS[network[i].activation]}]</span>")
    return lines


def layer_choice(index: int, layer: BankLayer) -> str:
    """The layer selector's entry, short enough to show whole: ``"Layer 2: 4 channels → 3 maps"``."""
    channels = f"{layer.in_channels} channel{'s' if layer.in_channels != 1 else ''}"
    maps = f"{layer.out_channels} map{'s' if layer.out_channels != 1 else ''}"
    return f"Layer {index + 1}: {channels} → {maps}"


def follow_text(index: int, network: Network, first: LayerSettings) -> str:
    """Where the shown layer's sliding comes from: the Filter view for layer 1, its own settings after."""
    if index == 0:
        return (f"Layer 1 reads the image and slides as the Filter view says: padding "
                f"{padding_text(first.padding)}, stride {hw_text(first.stride)}, dilation "
                f"{hw_text(first.dilation)}, border {first.padding_mode}.")
    return f"Layer {index + 1} reads the {network[index].in_channels} maps of layer {index}; it slides as set here."


def default_bank_note(layer: BankLayer) -> str:
    """What the untouched default bank became for a new kind of image."""
    kind = "colour" if layer.in_channels == 3 else "grey"
    return (f"Default bank for a {kind} image: {', '.join(display_names(layer.names))}, with "
            f"{ACTIVATION_LABELS[layer.activation]}.")


def ordinal(n: int) -> str:
    """``2`` → ``"2nd"``, ``11`` → ``"11th"``, ``23`` → ``"23rd"``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def sampled_words(step: int) -> str:
    """How a map shown at every ``step``-th pixel is described (empty for whole maps)."""
    return "" if step <= 1 else f"every {ordinal(step)} pixel"


def map_caption(value_range, step: int = 1) -> str:
    """A map tile's second line: its value range, short (``step`` > 1: the range of the pixels shown)."""
    lo, hi = value_range
    text = f"{format_number(lo, 3)} … {format_number(hi, 3)}"
    return text if step <= 1 else f"{text} (every {ordinal(step)} px)"


def map_tooltip(index: int, names: Sequence[str], shape, value_range, step: int = 1) -> str:
    lo, hi = value_range
    if step <= 1:
        return (f"Map {index + 1} of {len(names)}: {display_name(names[index])} ({names[index]!r}), "
                f"{shape[0]}×{shape[1]}, values {format_number(lo)} to {format_number(hi)}. Click to enlarge.")
    return (f"Map {index + 1} of {len(names)}: {display_name(names[index])} ({names[index]!r}), "
            f"{shape[0]}×{shape[1]}, shown reduced: {sampled_words(step)} of every {ordinal(step)} row (the map's "
            f"exact values there), which range from {format_number(lo)} to {format_number(hi)} (pixels between "
            "them may go further). Click to enlarge: the whole map is computed.")


def compute_summary(layer: int, count: int, shape, recomputed: int, elapsed_s: float, float32: bool,
                    step: int = 1) -> str:
    """What the last computation did: how many maps, how many convolved again, how long, in which precision."""
    precision = ("float32 for display (the image is large; the channel sums are float64)" if float32
                 else "float64")
    if step > 1:
        return (f"Layer {layer + 1}: {count} maps of {shape[0]}×{shape[1]}, computed at {sampled_words(step)} of "
                f"every {ordinal(step)} row ({-(-shape[0] // step)}×{-(-shape[1] // step)}, as large as they are "
                f"drawn) in {elapsed_s * 1000:.0f} ms, float64; an enlarged map is computed whole.")
    return (f"Layer {layer + 1}: {count} maps of {shape[0]}×{shape[1]}; convolved {recomputed} of {count} again "
            f"in {elapsed_s * 1000:.0f} ms, {precision}.")


def enlarged_title(index: int, name: str, shape, step: int = 1) -> str:
    """The enlarged view's title; ``step`` > 1 while only every ``step``-th pixel is drawn (the whole map coming)."""
    reduced = "" if step <= 1 else (f"; drawn at {sampled_words(step)} of every {ordinal(step)} row until the whole "
                                    "map is computed")
    return (f"Map {index + 1}: <b>{html.escape(display_name(name))}</b> — {shape[0]}×{shape[1]}{reduced} (click a "
            "pixel to explain it; scroll to zoom)")


def receptive_lines(regions: Sequence[Region], image_hw, stage: int, out_index) -> list[str]:
    """The receptive field of output pixel ``out_index`` of layer ``stage`` (``regions`` from
    :meth:`Network.receptive_field`): what it sees in the image, then one line per layer (rich text)."""
    first = regions[0]
    clipped = first.clipped(image_hw)
    inside = "" if clipped == first else (
        f" (inside the image: rows {clipped.top}…{clipped.bottom}, columns {clipped.left}…{clipped.right};"
        " the rest is padding)")
    lines = [f"Output pixel (row {out_index[0]}, col {out_index[1]}) of layer {stage + 1} sees "
             f"<b>{first.size[0]}×{first.size[1]}</b> input pixels: rows {first.top}…{first.bottom}, "
             f"columns {first.left}…{first.right}{inside}."]
    for i, reg in enumerate(regions):
        lines.append(f"Layer {i + 1}: a {reg.size[0]}×{reg.size[1]} window of its input")
    return lines


def zoom_note(window: Region | None, image_hw) -> str:
    """What the receptive-field view shows: the pixels around the field (``window``) or the whole image."""
    h, w = image_hw
    if window is None:
        return f"The whole {h}×{w} image (tick the zoom to see the field's pixels; scroll to zoom, drag to move)."
    return (f"Zoomed onto rows {window.top}…{window.bottom}, columns {window.left}…{window.right} of the {h}×{w} "
            "image, at full resolution (scroll to zoom, drag to move).")


def decomposition_title(d: Decomposition, filter_name: str) -> str:
    r, c = d.out_index
    return (f"<b>{html.escape(display_name(filter_name))}</b> at output pixel (row {r}, col {c}): "
            f"<b>{ACTIVATION_LABELS[d.activation]}</b>( Σ<sub>c</sub> W<sub>c</sub> * x<sub>c</sub> + b )")


def channel_terms(d: Decomposition, channel: int, max_terms: int = MAX_TERMS) -> str:
    """``(patch×weight) + …`` of one channel, leaving out zero weights."""
    patch, w = d.patch[:, :, channel].ravel(), d.weights[:, :, channel].ravel()
    terms = [f"({format_number(a, 3)}×{format_number(b, 3)})" for a, b in zip(patch, w) if b != 0]
    if not terms:
        return "(all weights 0)"
    if len(terms) > max_terms:
        terms = terms[:max_terms] + [f"… {len(terms) - max_terms} more"]
    return " + ".join(terms)


def signed(v: float) -> str:
    """A number as a term of a sum: negative ones in parentheses."""
    s = format_number(v)
    return f"({s})" if v < 0 else s


def decomposition_lines(d: Decomposition, channel_names: Sequence[str], map_value: float | None,
                        map_dtype: str) -> list[str]:
    """The arithmetic of ``d``, one step a line (rich text): each channel's sum, Σ, + b, the activation,
    and the value in the map shown."""
    r, c = d.out_index
    act = ACTIVATION_LABELS[d.activation]
    lines = [f"{html.escape(name)}: {channel_terms(d, k)} = <b>{format_number(v)}</b>"
             for k, (name, v) in enumerate(zip(channel_names, d.channel_values))]
    total = " + ".join(signed(v) for v in d.channel_values[:MAX_SUM_TERMS])
    if len(d.channel_values) > MAX_SUM_TERMS:
        total += f" + … ({len(d.channel_values) - MAX_SUM_TERMS} more)"
    lines.append(f"Σ = {total} = <b>{format_number(d.total)}</b>")
    lines.append(f"z = Σ + b = {format_number(d.total)} + {signed(d.bias)} = <b>{format_number(d.pre_activation)}</b>")
    lines.append(f"{act}(z) = {act}({format_number(d.pre_activation)}) = <b>{format_number(d.value)}</b>")
    if map_value is not None:
        lines.append(f"Feature map at (row {r}, col {c}): {format_number(map_value)} "
                     f"(the map shown, computed in {map_dtype}; the numbers above are float64)")
    return lines


def plain(line: str) -> str:
    """A rich-text line without its ``<b>`` marks (what a test or the clipboard reads)."""
    return line.replace("<b>", "").replace("</b>", "")
