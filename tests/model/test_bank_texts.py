"""The Filter bank tab's sentences (convviz.model.bank.texts), against numbers worked out by hand."""

from __future__ import annotations

import numpy as np

from convviz.model.bank import (
    BankFilter,
    BankLayer,
    LayerSettings,
    Network,
    decompose,
    default_bank,
    default_next_layer,
)
from convviz.model.bank.network import Region
from convviz.model.bank.texts import (
    channel_terms,
    compute_summary,
    decomposition_lines,
    decomposition_title,
    default_bank_note,
    display_name,
    display_names,
    enlarged_title,
    follow_text,
    layer_choice,
    map_caption,
    map_tooltip,
    plain,
    receptive_lines,
    shape_lines,
    signed,
)

# a 2×2×2 input and one 2×2 filter on 2 channels, worked out by hand:
# channel a: 1×1 + 4×(−1) = −3; channel b: 10×0.5 = 5; Σ = 2; z = 2 + (−5) = −3; ReLU(−3) = 0
X = np.stack([np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[10.0, 20.0], [30.0, 40.0]])], axis=2)
W = np.stack([np.array([[1.0, 0.0], [0.0, -1.0]]), np.array([[0.5, 0.0], [0.0, 0.0]])], axis=2)
LAYER = BankLayer((BankFilter("edge <b>", W, -5.0),), "relu", LayerSettings("valid"))


def test_shape_lines_and_layer_texts():
    network, _ = Network((default_bank(3),)).appended(default_next_layer(4))
    first = LayerSettings("same", (2, 2))
    shapes = network.stage_shapes((40, 48, 3), first)
    lines = shape_lines(shapes, network, first)
    assert lines[0] == ("Layer 1: input <b>40×48×3</b> (H, W, C_in) &nbsp;*&nbsp; bank <b>3×3×3×4</b> (H, W, C_in, "
                        "C_out) — PyTorch weight (4, 3, 3, 3) &nbsp;→&nbsp; output <b>20×24×4</b> (H', W', C_out) "
                        "&nbsp;<span style='color:gray'>[padding same, stride 2×2, dilation 1×1, ReLU]</span>")
    assert "Layer 2: input <b>20×24×4</b>" in lines[1] and "output <b>18×22×3</b>" in lines[1]
    assert "bank <b>3×3×4×3</b> (H, W, C_in, C_out) — PyTorch weight (3, 4, 3, 3)" in lines[1]
    assert "[padding valid, stride 1×1" in lines[1]
    assert layer_choice(0, network[0]) == "Layer 1: 3 channels → 4 maps"
    assert layer_choice(1, network[1]) == "Layer 2: 4 channels → 3 maps"
    one = BankLayer((BankFilter("a", np.ones((3, 3, 1))),), "none", LayerSettings())
    assert layer_choice(0, one) == "Layer 1: 1 channel → 1 map"
    assert follow_text(0, network, LayerSettings((1, 2), 1, 2, "reflect")) == (
        "Layer 1 reads the image and slides as the Filter view says: padding 1×2, stride 1×1, dilation 2×2, "
        "border reflect.")
    assert follow_text(1, network, first) == "Layer 2 reads the 4 maps of layer 1; it slides as set here."
    assert default_bank_note(default_bank(1)) == "Default bank for a grey image: Sobel x, Sobel y, Blur, with ReLU."


def test_filters_are_shown_by_their_display_names():
    assert display_name("sobel_x") == "Sobel x" and display_name("prewitt_y") == "Prewitt y"
    assert display_name("gaussian_blur_5x5") == "Gaussian blur 5×5" and display_name("laplacian") == "Laplacian"
    assert display_name("red minus green") == "Red minus green" and display_name("blur") == "Blur"
    assert display_name("my_edge_2") == "My edge 2" and display_name("sum → edges x") == "Sum → edges x"
    assert display_name("R minus G") == "R minus G" and display_name("myEdge") == "myEdge"   # typed: as typed
    assert display_name("") == "" and display_names(["sobel_y", "x"]) == ["Sobel y", "X"]


def test_map_captions_and_summary():
    assert map_caption((-0.5, 2498.0)) == "-0.5 … 2498"
    assert map_tooltip(1, ["a", "sobel_y", "c"], (40, 48, 3), (0.0, 1 / 3)) == (
        "Map 2 of 3: Sobel y ('sobel_y'), 40×48, values 0 to 0.3333. Click to enlarge.")
    assert compute_summary(0, 4, (40, 48, 4), 1, 0.0123, False) == (
        "Layer 1: 4 maps of 40×48; convolved 1 of 4 again in 12 ms, float64.")
    assert compute_summary(1, 3, (9, 9, 3), 0, 0.2, True).endswith(
        "in 200 ms, float32 for display (the image is large; the channel sums are float64).")
    assert enlarged_title(3, "a<b", (5, 6)) == ("Map 4: <b>A&lt;b</b> — 5×6 (click a pixel to explain it; scroll to "
                                               "zoom)")
    assert "<b>Sobel x</b>" in enlarged_title(0, "sobel_x", (5, 6))


def test_decomposition_lines_hand_worked():
    d = decompose(X, LAYER, 0, (0, 0))
    lines = [plain(line) for line in decomposition_lines(d, ("a", "b"), 0.0, "float64")]
    assert lines == [
        "a: (1×1) + (4×-1) = -3",
        "b: (10×0.5) = 5",
        "Σ = (-3) + 5 = 2",
        "z = Σ + b = 2 + (-5) = -3",
        "ReLU(z) = ReLU(-3) = 0",
        "Feature map at (row 0, col 0): 0 (the map shown, computed in float64; the numbers above are float64)",
    ]
    assert decomposition_title(d, "edge <b>").startswith("<b>Edge &lt;b&gt;</b> at output pixel (row 0, col 0)")
    assert signed(-0.5) == "(-0.5)" and signed(2.0) == "2"


def test_long_sums_are_shortened():
    w = np.ones((5, 5, 14))
    layer = BankLayer((BankFilter("box", w),), "none", LayerSettings("valid"))
    d = decompose(np.ones((5, 5, 14)), layer, 0, (0, 0))
    assert channel_terms(d, 0).endswith("(1×1) + … 16 more") and channel_terms(d, 0).count("×") == 9
    lines = decomposition_lines(d, [f"c{i}" for i in range(14)], None, "float64")
    assert plain(lines[14]) == "Σ = " + " + ".join(["25"] * 12) + " + … (2 more) = 350"
    assert len(lines) == 17                      # no map line without a map value
    zero = BankLayer((BankFilter("zero", np.zeros((2, 2, 1))),), "none", LayerSettings("valid"))
    assert channel_terms(decompose(np.ones((2, 2)), zero, 0, (0, 0)), 0) == "(all weights 0)"


def test_receptive_lines():
    regions = [Region(-1, 3, 4, 8), Region(0, 2, 5, 7)]
    lines = receptive_lines(regions, (10, 10), 1, (1, 6))
    assert plain(lines[0]) == ("Output pixel (row 1, col 6) of layer 2 sees 5×5 input pixels: rows -1…3, columns "
                               "4…8 (inside the image: rows 0…3, columns 4…8; the rest is padding).")
    assert lines[1:] == ["Layer 1: a 5×5 window of its input", "Layer 2: a 3×3 window of its input"]
    assert receptive_lines([Region(2, 4, 2, 4)], (10, 10), 0, (3, 3))[0].endswith("columns 2…4.")
