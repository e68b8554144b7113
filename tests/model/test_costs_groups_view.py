"""The Costs tab's groups and depthwise-separable texts, without Qt. Every number is worked out by hand here:

32×32×3 → 64 filters of 3×3, valid: output 30×30×64 (900 positions)
    standard   3·3·3·64 = 1,728 weights (+ 64 biases = 1,792);   900 · 1,728 = 1,555,200 multiply-adds
    depthwise  3·3·3    =    27 weights (+  3 biases =    30);   900 ·    27 =    24,300
    pointwise  3·64     =   192 weights (+ 64 biases =   256);   900 ·   192 =   172,800
    together               219 (286 with biases)                                197,100
    197,100 / 1,555,200 = 0.126736… = 1/64 + 1/9 (MobileNet's 1/C_out + 1/K²), ≈ 7.9× fewer.
"""

import numpy as np
import pytest

from convviz.model.costs import layer_costs, separable_costs
from convviz.model.costs_view import (
    SERIES_CONV,
    SERIES_DENSE,
    SERIES_GROUPED,
    SERIES_SEPARABLE,
    chart_series,
    conv_formula_lines,
    explanation,
)
from convviz.model.groups_view import (
    channel_grid,
    costs_of,
    groups_choices,
    groups_note,
    groups_sentence,
    mobilenet_fraction,
    mobilenet_row,
    mobilenet_sentence,
    saving_row,
    separable_rows,
    times_fewer,
)

SMALL = separable_costs((32, 32, 3), 3, 64, bias=False)
SMALL_BIASED = separable_costs((32, 32, 3), 3, 64, bias=True)


def test_the_small_layer_by_hand():
    assert SMALL.standard.output_shape == (30, 30, 64)
    assert (SMALL.standard.conv_params, SMALL.depthwise.conv_params, SMALL.pointwise.conv_params) == (1_728, 27, 192)
    assert (SMALL_BIASED.standard.conv_params, SMALL_BIASED.depthwise.conv_params,
            SMALL_BIASED.pointwise.conv_params) == (1_792, 30, 256)
    assert (SMALL.standard.conv_macs, SMALL.depthwise.conv_macs, SMALL.pointwise.conv_macs) == (
        1_555_200, 24_300, 172_800)
    assert (SMALL.separable_params, SMALL.separable_macs, SMALL_BIASED.separable_params) == (219, 197_100, 286)


def test_separable_rows_and_saving():
    assert separable_rows(SMALL) == [
        ("standard 3×3 conv", "3·3·3·64", "1,728", "1,555,200"),
        ("depthwise 3×3", "3·3·3", "27", "24,300"),
        ("pointwise 1×1", "3·64", "192", "172,800"),
        ("depthwise + pointwise", "", "<b>219</b>", "<b>197,100</b>"),
    ]
    assert separable_rows(SMALL_BIASED)[:3] == [
        ("standard 3×3 conv", "3·3·3·64 + 64", "1,792", "1,555,200"),
        ("depthwise 3×3", "3·3·3 + 3", "30", "24,300"),
        ("pointwise 1×1", "3·64 + 64", "256", "172,800"),
    ]
    # 219 / 1,728 = 197,100 / 1,555,200 = 0.12674; with biases 286 / 1,792 = 0.15960 (≈ 6.3× fewer)
    assert saving_row(SMALL) == ("0.1267<br><b>≈ 7.9× fewer</b>", "0.1267<br><b>≈ 7.9× fewer</b>")
    assert saving_row(SMALL_BIASED) == ("0.1596<br><b>≈ 6.3× fewer</b>", "0.1267<br><b>≈ 7.9× fewer</b>")


def test_mobilenet_formula_is_the_multiply_adds_share():
    assert mobilenet_fraction(SMALL) == pytest.approx(1 / 64 + 1 / 9, abs=1e-15)
    assert mobilenet_fraction(SMALL) == pytest.approx(197_100 / 1_555_200, abs=1e-15)
    assert mobilenet_sentence(SMALL) == (
        "MobileNet's saving: 1/C_out + 1/K² = 1/64 + 1/3² = 0.1267 (≈ 7.9× fewer): exactly the "
        "multiply-adds' share, and the parameters' share too (no biases).")
    assert mobilenet_sentence(SMALL_BIASED).endswith("; the parameters' share is 0.1596 because the biases count too.")
    # the lecture's layer: 32×32×3 → 64 of 5×5: 1/64 + 1/25 = 0.055625, ≈ 18× fewer
    lecture = separable_costs((32, 32, 3), 5, 64, bias=False)
    assert (lecture.separable_params, lecture.separable_macs) == (75 + 192, 28 * 28 * (75 + 192))
    assert "1/64 + 1/5² = 0.0556 (≈ 18× fewer)" in mobilenet_sentence(lecture)
    assert mobilenet_row(lecture) == ("MobileNet 1/C_out + 1/K²", "1/64 + 1/5²", "0.0556", "0.0556")
    # a 3×5 kernel, stride 2 and same padding: still exact for the multiply-adds
    odd = separable_costs((17, 23, 6), (3, 5), 10, "same", stride=2, bias=True)
    assert odd.separable_macs / odd.standard.conv_macs == pytest.approx(1 / 10 + 1 / 15, abs=1e-15)
    assert "1/(K_h·K_w) = 1/10 + 1/(3·5)" in mobilenet_sentence(odd)
    assert mobilenet_row(odd) == ("MobileNet 1/C_out + 1/(K_h·K_w)", "1/10 + 1/(3·5)", "", "0.1667")


def test_a_one_by_one_kernel_makes_separable_dearer():
    s = separable_costs((8, 8, 4), 1, 2, bias=False)        # standard 4·2 = 8; depthwise 4 + pointwise 8 = 12
    assert (s.standard.conv_params, s.separable_params) == (8, 12)
    assert times_fewer(s.params_ratio) == "≈ 1.5× more" and times_fewer(7.89) == "≈ 7.9× fewer"


def test_groups_choices_are_the_divisors_of_c_in():
    assert [(g.groups, g.value, g.label, g.enabled) for g in groups_choices(12, 8)] == [
        (1, 1, "1 (standard)", True), (2, 2, "2", True), (3, 3, "3", False), (4, 4, "4", True),
        (6, 6, "6", False), (12, "depthwise", "12 (depthwise)", False)]
    assert "8 filters cannot be split into 3 equal groups" in groups_choices(12, 8)[2].tooltip
    assert groups_choices(12, 8)[3].tooltip == "4 group(s): each filter sees 3 of the 12 input channels."
    assert [(g.value, g.label) for g in groups_choices(1, 5)] == [(1, "1 (standard = depthwise)")]
    assert [g.groups for g in groups_choices(4096, 4096)] == [2 ** k for k in range(13)]


def test_groups_note_says_why_the_request_is_not_met():
    assert groups_note(4, 8, 16, 4) == "" and groups_note("depthwise", 32, 64, 32) == ""
    assert groups_note(4, 6, 64, 2) == ("groups = 4 must divide both C_in = 6 and the 64 filters: this uses 2, "
                                        "the largest that does.")
    assert groups_note("depthwise", 3, 64, 1) == ("Depthwise needs the filters to be a multiple of C_in: 64 "
                                                  "filters on 3 channels are not, so this uses groups = 1.")


def test_groups_sentences():
    assert groups_sentence(3, 64, 1) == "groups = 1 (standard): every filter sees all 3 input channel(s)."
    assert groups_sentence(32, 64, 2) == ("groups = 2: 2 groups of 16 input channels and 32 filter(s); "
                                          "filters 1–32 see channels 1–16, filters 33–64 see channels 17–32.")
    assert groups_sentence(6, 3, 3) == ("groups = 3: 3 groups of 2 input channels and 1 filter(s); "
                                        "filter 1 sees channels 1–2, filter 2 sees channels 3–4, and so on.")
    assert groups_sentence(32, 64, 32) == ("groups = 32 (depthwise): each filter sees one input channel, 2 filters "
                                           "per channel: filter 3 sees channel 2.")
    assert groups_sentence(4, 4, 4).startswith("groups = 4 (depthwise): each filter sees one input channel, "
                                               "one filter per channel")


def test_channel_grid_is_group_channels():
    grid = channel_grid(4, 8, 2)
    # filters 0–3 read channels 0–1 (group 1), filters 4–7 read channels 2–3 (group 2)
    assert grid.seen.tolist() == [[1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0],
                                  [0, 0, 0, 0, 2, 2, 2, 2], [0, 0, 0, 0, 2, 2, 2, 2]]
    assert grid.caption == "8 filter(s) across, 4 input channel(s) down"
    assert channel_grid(3, 64, 1).seen.tolist() == [[1] * 64] * 3
    depthwise = channel_grid(32, 64, 32).seen        # filter o reads channel o // 2
    assert depthwise.shape == (32, 64)
    assert all(depthwise[o // 2, o] == o // 2 + 1 and np.count_nonzero(depthwise[:, o]) == 1 for o in range(64))
    big = channel_grid(256, 512, 256)
    assert big.seen.shape == (64, 64) and big.caption == ("the first 64 of 512 filters across, the first 64 of "
                                                          "256 input channels down")
    assert np.count_nonzero(big.seen) == 64 and big.seen[31, 63] == 32


def test_costs_of_a_costed_layer():
    layer = dict(h=112, w=112, c=32, kh=3, kw=3, filters=64, padding="same", stride=1, dilation=1, bias=False,
                 groups=32)
    conv, s = costs_of(layer)
    # depthwise with 2 filters per channel: (32/32)·3·3·64 = 576 weights, 112·112·64·9 = 7,225,344 multiply-adds
    assert (conv.groups, conv.conv_params, conv.conv_macs) == (32, 576, 7_225_344)
    # the comparison is always against groups = 1: 3·3·32·64 = 18,432 vs 288 + 2,048 = 2,336
    assert (s.standard.conv_params, s.separable_params) == (18_432, 2_336)
    assert costs_of(dict(layer, groups=4))[0].conv_params == 8 * 9 * 64 == 4_608
    with pytest.raises(ValueError, match="larger than the padded input"):
        costs_of(dict(layer, h=2, padding="valid"))


def test_grouped_formula_explanation_and_chart():
    grouped = layer_costs((112, 112, 32), 3, 64, "same", groups=32, bias=True)
    assert conv_formula_lines(grouped) == ["(C_in/G)·K·K·C_out + C_out", "= (32/32)·3·3·64 + 64", "= 640"]
    assert "64 small kernels (3×3×1; 32 groups: each sees 1 of the 32 channels)" in explanation(grouped)
    s = separable_costs((112, 112, 32), 3, 64, "same", bias=True)
    series = chart_series(grouped, s)
    assert [(kind, name) for kind, name, _ in series] == [
        (SERIES_CONV, "standard conv"), (SERIES_GROUPED, "depthwise conv"),
        (SERIES_SEPARABLE, "depthwise + pointwise"), (SERIES_DENSE, "dense layer")]
    # 3·3·32·64 + 64 = 18,496; depthwise 288 + 32 and pointwise 2,048 + 64: 2,432 weights, 4 bytes each
    assert series[0][2] == (18_496, 112 * 112 * 18_432, 4 * 18_496)
    assert series[1][2] == (640, 7_225_344, 2_560)
    assert series[2][2] == (2_432, 112 * 112 * (288 + 2_048), 4 * 2_432)
    assert series[3][2][0] == grouped.dense_params
    four = chart_series(layer_costs((8, 8, 8), 3, 8, groups=4), separable_costs((8, 8, 8), 3, 8))
    assert four[1][1] == "conv, 4 groups"
    lecture = layer_costs((32, 32, 3), 5, 64, bias=False)
    assert [name for _, name, _ in chart_series(lecture, separable_costs((32, 32, 3), 5, 64, bias=False))] == [
        "conv layer", "depthwise + pointwise", "dense layer"]
