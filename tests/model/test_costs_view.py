"""What the "Costs" tab writes, without Qt: units, formulas, the chart's axis, the chain's rows and total.
The lecture's numbers are stated (32×32×3, 64 filters of 5×5: 4,800 vs 154,140,672 weights, ≈ 32,113×)."""

import math

from convviz.model import layer_costs
from convviz.model.costs_view import (
    bar_heights,
    chain_costs,
    chart_values,
    conv_formula_lines,
    dense_formula_lines,
    explanation,
    log_axis,
    output_text,
    power_label,
    ratio_sentence,
    stack_row_texts,
    stack_total,
)
from convviz.model.layer_stack import ConvLayerSpec
from convviz.model.units import bytes_text, count_text, ratio_text, short_count

LECTURE = layer_costs((32, 32, 3), 5, 64, "valid", bias=False)


def test_formatting():
    assert count_text(154140672) == "154,140,672"
    assert bytes_text(19200) == "19.2 kB" and bytes_text(616562688) == "616.6 MB"
    assert bytes_text(512) == "512 bytes" and bytes_text(3 * 10 ** 9) == "3.0 GB"
    assert ratio_text(154140672 / 4800) == "≈ 32,113×" and ratio_text(2.54) == "≈ 2.5×"
    assert short_count(4800) == "4.8K" and short_count(154140672) == "154M" and short_count(7) == "7"


def test_lecture_texts():
    assert conv_formula_lines(LECTURE) == ["C_in·K·K·C_out", "= 3·5·5·64", "= 4,800"]
    assert dense_formula_lines(LECTURE) == ["inputs·outputs", "= 3,072·50,176", "= 154,140,672"]
    biased = layer_costs((32, 32, 3), 5, 64, "valid", bias=True)
    assert conv_formula_lines(biased) == ["C_in·K·K·C_out + C_out", "= 3·5·5·64 + 64", "= 4,864"]
    assert dense_formula_lines(biased)[-1] == "= 154,190,848"
    assert output_text(LECTURE) == "<b>28 × 28 × 64</b>  (50,176 numbers)"
    assert ratio_sentence(LECTURE) == "The dense layer needs <b>≈ 32,113×</b> as many weights."
    assert explanation(LECTURE) == (
        "The conv layer reuses the same 64 small kernels (5×5×3) at every position. A dense layer joins each of the "
        "3,072 input numbers (32×32×3) to each of the 50,176 output numbers with its own weight.")


def test_chart_axis():
    conv, dense = chart_values(LECTURE)
    assert conv == (4_800, 3_763_200, 19_200) and dense == (154_140_672, 154_140_672, 616_562_688)
    assert bar_heights([1, 10, 1000, 0]) == [0.0, 1.0, 3.0, 0.0]
    assert power_label(10) == "10¹⁰" and power_label(-2) == "10⁻²"
    ceiling, ticks = log_axis(math.log10(616_562_688))          # 8.79·1.25 + 0.5: room above for the label
    assert ceiling == 12 and ticks == [(e, power_label(e)) for e in range(0, 13, 2)]
    assert log_axis(0.5)[0] == 2


def test_chain_rows_and_total():
    specs = [ConvLayerSpec(5, 64, 1, "valid"), ConvLayerSpec(3, 128, 2, "same")]
    stack, rows, error = chain_costs((32, 32, 3), specs, bias=False)
    assert error == "" and len(rows) == 2
    assert stack_row_texts(rows[0]) == ("28×28×64", "4,800", "3,763,200", "19.2 kB", "5×5")
    assert stack_row_texts(rows[1]) == ("14×14×128", "73,728", "14,450,688", "294.9 kB", "7×7")
    assert stack_total(stack, 2, (32, 32, 3)) == (
        "<b>Total for 2 layer(s)</b> on 32×32×3: <b>78,528</b> parameters, 18,213,888 multiply-adds, 314.1 kB of "
        "weights; one output pixel of the last layer sees 7×7 input pixels.")


def test_chain_that_does_not_fit_keeps_the_rows_before_it():
    specs = [ConvLayerSpec(5, 64, 1, "valid"), ConvLayerSpec(31, 8, 1, "valid"), ConvLayerSpec(3, 8, 1, "same")]
    stack, rows, error = chain_costs((32, 32, 3), specs, bias=True)
    assert stack is None and len(rows) == 1 and error.startswith("Layer 2:")
    assert stack_total(None, 3, (32, 32, 3)) == "<b>Total</b>: — (fix the layer below) on 32×32×3."
    assert chain_costs((2, 2, 1), specs[:1], bias=True)[1] == ()
