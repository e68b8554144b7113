"""``convviz costs --groups N``: grouped and depthwise layers on the command line."""

from __future__ import annotations

import json

import pytest

from convviz.cli import main


def test_depthwise_costs_table(capsys):
    assert main(["costs", "--input", "32x32x32", "--kernel", "3", "--filters", "32", "--padding", "same",
                 "--groups", "32"]) == 0
    out = capsys.readouterr().out
    assert "32 filters of 3×3×1" in out and "32 groups" in out
    assert f"{3 * 3 * 32 + 32:,}" in out  # parameters: one 3×3 kernel per channel, plus biases
    assert f"{32 * 32 * 32 * 9:,}" in out  # multiply-adds


def test_groups_in_json(capsys):
    assert main(["costs", "--input", "8x8x4", "--kernel", "3", "--filters", "8", "--groups", "2", "--no-bias",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["groups"] == 2
    assert data["conv_params"] == 3 * 3 * 2 * 8
    assert data["conv_macs"] == 6 * 6 * 8 * 3 * 3 * 2


def test_default_is_one_group(capsys):
    assert main(["costs", "--input", "32x32x3", "--kernel", "5", "--filters", "64", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["groups"] == 1
    assert main(["costs", "--input", "32x32x3", "--kernel", "5", "--filters", "64"]) == 0
    assert "groups" not in capsys.readouterr().out


@pytest.mark.parametrize("groups,fragment", [
    ("2", "groups=2 must divide both the input channels (3) and the filters (64)"),
    ("0", "at least 1"),
    ("two", "is not a whole number"),
])
def test_bad_groups_are_one_error_line(capsys, groups, fragment):
    assert main(["costs", "--input", "32x32x3", "--kernel", "5", "--filters", "64", "--groups", groups]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("convviz: error: ") and fragment in err
