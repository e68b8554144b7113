"""``convviz train``: one line per epoch, JSON lines, the learned filters as a bank file, one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from convviz.cli import main
from convviz.io.banks import load_bank
from convviz.model.cnn import TinyCNN, TrainingRun, load_dataset

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^epoch +(\d+)/(\d+)  train loss (\d+\.\d{4})  test accuracy +(\d+\.\d) %  \(\d+\.\d\d s\)$")


def test_one_line_per_epoch_with_loss_and_accuracy(capsys):
    assert main(["train", "--epochs", "2"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert err == "" and len(lines) == 2
    matches = [LINE.match(line) for line in lines]
    assert all(matches), lines
    assert [int(m.group(1)) for m in matches] == [1, 2] and matches[0].group(2) == "2"
    assert float(matches[1].group(4)) > 80.0  # chance is 10 %


def test_json_lines_equal_the_model_trained_with_the_same_seed(capsys):
    assert main(["train", "--epochs", "2", "--filters", "3", "--seed", "4", "--json"]) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert err == "" and len(rows) == 2
    assert all(set(r) == {"epoch", "train_loss", "test_accuracy"} for r in rows)
    run = TrainingRun(TinyCNN(filters=3, kernel_size=5, seed=4), load_dataset(), seed=4)
    for row in rows:
        expected = run.run_epoch()
        assert row == {"epoch": expected.epoch, "train_loss": expected.train_loss,
                       "test_accuracy": expected.test_accuracy}
    assert 0.0 <= rows[-1]["test_accuracy"] <= 1.0


def test_save_bank_writes_the_learned_filters_that_load_bank_opens(tmp_path, capsys):
    path = tmp_path / "learned.json"
    assert main(["train", "--epochs", "1", "--filters", "4", "--seed", "2", "--save-bank", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith(f"wrote {path}: 4 learned 5×5 filters")
    layer = load_bank(path)[0]
    assert layer.out_channels == 4 and layer.in_channels == 1 and layer.kernel_hw == (5, 5)
    net = TinyCNN(filters=4, kernel_size=5, seed=2)
    TrainingRun(net, load_dataset(), seed=2).run_epoch()
    assert np.array_equal(layer.weights(), net.conv_weights)
    np.testing.assert_allclose(layer.biases(), 255 * net.conv_bias, rtol=1e-15, atol=0)


def test_json_with_save_bank_prints_only_json(tmp_path, capsys):
    path = tmp_path / "b.json"
    assert main(["train", "--epochs", "1", "--json", "--save-bank", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["epoch"] == 1 and path.is_file()


@pytest.mark.parametrize("args, fragment", [
    (["--epochs", "0"], "--epochs"),
    (["--epochs", "ten"], "not a whole number"),
    (["--epochs", "1001"], "from 1 to 1000"),
    (["--filters", "65"], "from 1 to 64"),
    (["--filters", "0"], "--filters"),
    (["--seed", "-1"], "at least 0"),
    (["--save-bank", "bank.txt"], "must end in .json"),
    (["--save-bank", "no/such/folder/bank.json"], "does not exist"),
    (["--learning-rate", "3"], "unrecognized arguments"),
    (["extra"], "unrecognized arguments"),
])
def test_bad_arguments_end_with_one_line_and_exit_2(tmp_path, capsys, monkeypatch, args, fragment):
    monkeypatch.chdir(tmp_path)
    assert main(["train", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("convviz: error: ") and fragment in err
    assert list(tmp_path.iterdir()) == []


def test_save_bank_into_a_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "bank.json"
    folder.mkdir()
    assert main(["train", "--save-bank", str(folder)]) == 2
    assert "it is a folder" in capsys.readouterr().err


def test_help_describes_the_data_and_exits_0(capsys):
    assert main(["train", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--save-bank" in out and "Alpaydin" in out and "--json" in out


def test_end_to_end_through_python_m_convviz(tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    done = subprocess.run([sys.executable, "-m", "convviz", "train", "--epochs", "1", "--json"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["epoch"] == 1
    bad = subprocess.run([sys.executable, "-m", "convviz", "train", "--filters", "x"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.splitlines()) == 1
