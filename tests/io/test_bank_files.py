"""convviz.io.banks: bank JSON round trip, refused files, PNG and .npy exports."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from PIL import Image

from convviz.io import OutputFileError
from convviz.io.banks import BankFileError, bank_to_json, export_maps_npy, export_maps_png, load_bank, save_bank
from convviz.model import display_rgb
from convviz.model.bank import BankLayer, LayerSettings, Network, default_bank, random_filter


def network() -> Network:
    rng = np.random.default_rng(3)
    first = default_bank(3).with_filter(1, default_bank(3).filters[1].with_bias(-2.5))
    net, _ = Network((first,)).appended()
    second = BankLayer(tuple(random_filter(rng, (5, 5), 4, name=f"r{i}") for i in range(2)), "tanh",
                       LayerSettings((1, 2), (2, 1), (1, 2), "reflect"))
    net, _ = net.with_layer(1, second)
    return net


def same_network(a: Network, b: Network) -> bool:
    return len(a) == len(b) and all(
        x.activation == y.activation and x.settings == y.settings and x.names == y.names
        and np.array_equal(x.weights(), y.weights()) and np.array_equal(x.biases(), y.biases())
        for x, y in zip(a.layers, b.layers))


def test_round_trip(tmp_path):
    net = network()
    path = tmp_path / "bank.json"
    save_bank(path, net)
    assert same_network(load_bank(path), net)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "convviz-bank" and data["version"] == 1
    f0 = data["layers"][0]["filters"][0]
    assert f0["name"] == "sobel_x" and f0["slices"][2] == [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    assert data["layers"][1]["padding"] == [1, 2] and data["layers"][1]["padding_mode"] == "reflect"
    assert not list(tmp_path.glob(".*.tmp"))


def test_minimal_hand_written_file(tmp_path):
    path = tmp_path / "hand.json"
    path.write_text('{"layers": [{"filters": [{"slices": [[[0, 1], [2, 3]]]}]}]}', encoding="utf-8")
    net = load_bank(path)
    assert net[0].names == ["filter 1"] and net[0].activation == "relu" and net[0].settings == LayerSettings()
    assert net[0].weights().shape == (2, 2, 1, 1) and net[0].weights()[1, 0, 0, 0] == 2


def good() -> dict:
    return bank_to_json(network())


def broken(change) -> dict:
    data = good()
    change(data)
    return data


BAD = {
    "not json": ("{layers: ", "not valid JSON"),
    "wrong format": (broken(lambda d: d.update(format="convviz-kernel")), "format"),
    "new version": (broken(lambda d: d.update(version=7)), "version"),
    "no layers": (broken(lambda d: d.update(layers=[])), "non-empty"),
    "list top": ([1, 2], "top level"),
    "string weight": (broken(lambda d: d["layers"][0]["filters"][0]["slices"][0][0].__setitem__(0, "1")),
                      "not a number"),
    "bool weight": (broken(lambda d: d["layers"][0]["filters"][0]["slices"][0][0].__setitem__(0, True)),
                    "not a number"),
    "ragged row": (broken(lambda d: d["layers"][0]["filters"][0]["slices"][0].__setitem__(0, [1, 2])),
                   "same length"),
    "slice sizes": (broken(lambda d: d["layers"][0]["filters"][0]["slices"].__setitem__(1, [[1]])),
                    "same K×K"),
    "filter shapes": (broken(lambda d: d["layers"][0]["filters"][1]["slices"].pop()), "same shape"),
    "chain": (broken(lambda d: d["layers"][0]["filters"].pop()), "previous C_out"),
    "activation": (broken(lambda d: d["layers"][0].update(activation="softmax")), "activation"),
    "stride 0": (broken(lambda d: d["layers"][0].update(stride=[0, 1])), "stride"),
    "padding mode": (broken(lambda d: d["layers"][0].update(padding_mode="mirror")), "padding mode"),
    "bias text": (broken(lambda d: d["layers"][0]["filters"][0].update(bias="x")), "bias"),
    "huge kernel": (broken(lambda d: d["layers"][0]["filters"][0].update(slices=[[[0] * 16] * 16] * 3)),
                    "1 to 15"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_are_refused_with_a_message(tmp_path, case):
    content, words = BAD[case]
    path = tmp_path / f"{case}.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(BankFileError) as info:
        load_bank(path)
    assert words in str(info.value) and str(path) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_nan_empty_binary_and_missing_files(tmp_path):
    nan = tmp_path / "nan.json"
    nan.write_text(json.dumps(good()).replace('"bias": 0', '"bias": NaN', 1), encoding="utf-8")
    with pytest.raises(BankFileError, match="NaN"):
        load_bank(nan)
    inf = tmp_path / "inf.json"
    inf.write_text(json.dumps(good()).replace('"bias": 0', '"bias": 1e999', 1), encoding="utf-8")
    with pytest.raises(BankFileError, match="finite"):
        load_bank(inf)
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    with pytest.raises(BankFileError, match="empty"):
        load_bank(empty)
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\x80\x04\x95pickle")
    with pytest.raises(BankFileError, match="UTF-8"):
        load_bank(binary)
    with pytest.raises(BankFileError, match="no such file"):
        load_bank(tmp_path / "missing.json")


def test_failed_save_leaves_old_file(tmp_path):
    path = tmp_path / "bank.json"
    save_bank(path, network())
    before = path.read_bytes()
    with pytest.raises(OutputFileError):
        save_bank(tmp_path / "nope" / "bank.json", network())
    assert path.read_bytes() == before


def test_export_png_and_npy(tmp_path):
    rng = np.random.default_rng(0)
    maps = rng.normal(size=(6, 7, 3))
    names = ["sobel x", "a/b", "blur"]
    paths = export_maps_png(tmp_path, [maps[..., i] for i in range(3)], names, levels=(-3.0, 3.0))
    assert [p.name for p in paths] == ["01_sobel_x.png", "02_a_b.png", "03_blur.png"]
    for i, p in enumerate(paths):
        assert np.array_equal(np.asarray(Image.open(p)), display_rgb(maps[..., i], levels=(-3.0, 3.0)))
    own = export_maps_png(tmp_path, [maps[..., 0]], ["x"])
    assert np.array_equal(np.asarray(Image.open(own[0])), display_rgb(maps[..., 0]))
    npy = export_maps_npy(tmp_path / "maps.npy", maps)
    back = np.load(npy, allow_pickle=False)
    assert back.shape == (6, 7, 3) and np.array_equal(back, maps)
    with pytest.raises(OutputFileError):
        export_maps_png(tmp_path / "missing", [maps[..., 0]], ["x"])
    with pytest.raises(ValueError):
        export_maps_npy(tmp_path / "bad.npy", maps[..., 0])
    assert not os.path.exists(tmp_path / "bad.npy")
