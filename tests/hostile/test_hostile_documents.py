"""A refused session, lesson or bank changes nothing, and every legal bank makes files that reopen."""

import json

import numpy as np
import pytest
from hostile_support import bank_json, bounded_memory, lesson_json, one_sentence, session_json

from convviz.io.banks import bank_to_json, load_bank, network_from_json, save_bank
from convviz.io.lessons import LessonFileError, load_lesson
from convviz.io.sessions import SessionFileError, load_session, save_session, session_to_json
from convviz.model import ConvDocument, limits
from convviz.model.bank import BankFilter, BankLayer, Network


def edited_document() -> ConvDocument:
    doc = ConvDocument()
    doc.apply(image=np.arange(36.0).reshape(6, 6), kernel=np.ones((3, 3)), padding=(1, 2), stride=2,
              padding_mode="reflect", flip=True)
    return doc


def open_session(doc: ConvDocument, path) -> None:
    """What File ▸ Open session does with the document: read and check everything, then apply at once."""
    session = load_session(path)
    doc.apply(**session.document)


def assert_unchanged(doc: ConvDocument, before: dict, emitted: list) -> None:
    after = doc.state()
    assert emitted == []
    for name, value in before.items():
        assert after[name] is value, name


HOSTILE_DOCUMENTS = [
    {"padding": [1e19, 1]},
    {"padding": [10 ** 19, 1]},
    {"padding": [1, 10 ** 400]},
    {"padding": 3000},
    {"padding": [64, 65]},
    {"stride": [1, 2 ** 63]},
    {"dilation": 9},
    {"kernel": [[1.0] * 16]},
    {"kernel": [[1, 2], [3]]},
    {"kernel": "no_such_preset"},
    {"image": {"grid": [[1] * 65]}},
    {"image": {"path": "missing.png"}},
    {"image": {"grid": [[0, 1], [2, 3]]}, "kernel": [[1] * 5] * 5},   # parses, but the kernel does not fit
    {"image": {"grid": [[0, 1], [2, 3]]}, "kernel": [[1] * 3] * 3, "dilation": 8, "padding": "valid"},
]


@pytest.mark.parametrize("document", HOSTILE_DOCUMENTS)
def test_a_refused_session_changes_nothing(tmp_path, document):
    doc = edited_document()
    before, emitted = doc.state(), []
    doc.events.connect(emitted.append)
    path = tmp_path / "hostile.convviz"
    path.write_text(json.dumps(session_json(document)))
    with bounded_memory(), pytest.raises(ValueError) as info:
        open_session(doc, path)
    one_sentence(str(info.value))
    assert_unchanged(doc, before, emitted)


@pytest.mark.parametrize("document", HOSTILE_DOCUMENTS)
def test_a_lesson_with_one_bad_slide_is_refused_whole(tmp_path, document):
    data = lesson_json({"kernel": "sobel_x", "padding": "same"})
    data["slides"].append({"caption": "the bad one", "document": document})
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data))
    doc = edited_document()
    before, emitted = doc.state(), []
    doc.events.connect(emitted.append)
    try:
        with bounded_memory():
            lesson = load_lesson(path)
    except LessonFileError as exc:
        one_sentence(str(exc))
        assert "slide 2" in str(exc) or "written with 401 characters" in str(exc)   # or the whole file
    else:  # every slide parses: the bad one is then refused by the document, as the window applies it
        with pytest.raises(ValueError):
            doc.apply(**lesson.slides[1].document)
    assert_unchanged(doc, before, emitted)


def test_values_at_the_limits_are_accepted(tmp_path):
    path = tmp_path / "edge.convviz"
    grid = [[float(i + j) for j in range(limits.MAX_GRID_SIDE)] for i in range(limits.MAX_GRID_SIDE)]
    path.write_text(json.dumps(session_json({"image": {"grid": grid}, "kernel": [[1] * 15] * 15,
                                             "padding": [64, 64], "stride": [16, 16], "dilation": [1, 8]})))
    doc = ConvDocument()
    open_session(doc, path)
    assert doc.padding == (64, 64) and doc.stride == (16, 16) and doc.dilation == (1, 8)


# -- banks: the largest legal bank makes a bank file and a session that both reopen -------------------
WORST_WEIGHT = -2.2250738585072014e-308   # the longest repr a float has (24 characters)


def largest_legal_network() -> Network:
    """256 filters of 15×15×C_in with C_in as large as MAX_BANK_WEIGHTS allows, every number and name as
    long as JSON can make it."""
    c_in = limits.MAX_BANK_WEIGHTS // (limits.MAX_BANK_FILTERS * limits.MAX_KERNEL_SIDE ** 2)
    weights = np.full((limits.MAX_KERNEL_SIDE, limits.MAX_KERNEL_SIDE, c_in), WORST_WEIGHT)
    name = "\x01" * 200   # written as \u0001: six bytes a character
    filters = tuple(BankFilter(name, weights, WORST_WEIGHT) for _ in range(limits.MAX_BANK_FILTERS))
    return Network((BankLayer(filters),))


def test_the_largest_legal_bank_reopens_as_a_bank_file_and_in_a_session(tmp_path):
    network = largest_legal_network()
    weights = sum(f.weights.size for f in network.layers[0].filters)
    assert limits.MAX_BANK_WEIGHTS - weights < limits.MAX_KERNEL_SIDE ** 2 * limits.MAX_BANK_FILTERS
    bank_path = save_bank(tmp_path / "big.json", network)
    assert bank_path.stat().st_size < limits.MAX_FILE_BYTES["bank"]
    assert load_bank(bank_path) == network

    doc = ConvDocument()
    session_path = save_session(tmp_path / "big.convviz", session_to_json(doc.state(), bank=bank_to_json(network)))
    assert session_path.stat().st_size < limits.MAX_FILE_BYTES["session"]
    assert network_from_json(load_session(session_path).bank) == network


def test_a_bank_above_the_weight_limit_is_never_written(tmp_path):
    c_in = limits.MAX_BANK_WEIGHTS // (limits.MAX_BANK_FILTERS * 9) + 1
    big = Network((BankLayer(tuple(BankFilter("f", np.ones((3, 3, c_in))) for _ in range(256))),))
    path = tmp_path / "bank.json"
    path.write_text("old")
    with pytest.raises(ValueError, match="at most 1,000,000") as info:
        save_bank(path, big)
    one_sentence(str(info.value))
    with pytest.raises(ValueError, match="at most 1,000,000"):
        bank_to_json(big)   # what the window's session writer calls: no session that cannot reopen
    assert path.read_text() == "old"


def test_a_session_too_large_to_reopen_is_never_written(tmp_path):
    path = tmp_path / "s.convviz"
    path.write_text("old")
    data = session_to_json(ConvDocument().state(), view={"notes": "x" * (limits.MAX_FILE_BYTES["session"] + 1)})
    with pytest.raises(ValueError, match="session files are at most 64 MiB"):
        save_session(path, data)
    assert path.read_text() == "old"


def test_hostile_bank_inside_a_session_changes_nothing(tmp_path):
    path = tmp_path / "s.convviz"
    path.write_text(json.dumps(session_json(bank=bank_json(padding=[10 ** 19, 0]))))
    doc = edited_document()
    before, emitted = doc.state(), []
    doc.events.connect(emitted.append)
    with pytest.raises(SessionFileError, match="filter bank cannot be used"):
        open_session(doc, path)
    assert_unchanged(doc, before, emitted)
