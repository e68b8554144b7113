"""'Copy as code': the snippets are run and must reproduce the document's output exactly."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from PIL import Image

from convviz.model import ConvDocument
from convviz.model.codegen import convviz_snippet, pytorch_snippet

HAS_TORCH = importlib.util.find_spec("torch") is not None
LECTURE = np.array([[0, 10, 10, 0], [20, 30, 30, 20], [10, 20, 20, 10], [0, 5, 5, 0]], dtype=float)


def _run(code: str) -> np.ndarray:
    namespace: dict = {}
    exec(compile(code, "<snippet>", "exec"), namespace)  # noqa: S102 - the point of the test
    return np.asarray(namespace["output"])


def _doc(**changes) -> ConvDocument:
    doc = ConvDocument()
    doc.apply(**changes)
    return doc


RNG = np.random.default_rng(7)
CASES = {
    "lecture valid": dict(image=LECTURE, kernel=np.array([[1, 0], [0, 2.0]]), padding="valid", preset=None),
    "same even kernel": dict(image=RNG.uniform(0, 255, (9, 11)), kernel=RNG.normal(size=(2, 4)), padding="same"),
    "full stride dilation": dict(image=RNG.uniform(0, 255, (12, 10)), kernel=RNG.normal(size=(3, 3)),
                                 padding="full", stride=(2, 3), dilation=(2, 1)),
    "explicit pad reflect": dict(image=RNG.uniform(0, 255, (8, 9)), kernel=RNG.normal(size=(3, 2)),
                                 padding=(2, 1), padding_mode="reflect"),
    "replicate flip": dict(image=RNG.uniform(0, 255, (7, 7)), kernel=RNG.normal(size=(3, 3)), padding="same",
                           padding_mode="replicate", flip=True),
    "circular stride": dict(image=RNG.uniform(0, 255, (10, 10)), kernel=RNG.normal(size=(5, 5)), padding="same",
                            padding_mode="circular", stride=2),
    "colour per channel": dict(image=RNG.uniform(0, 255, (6, 7, 3)), kernel=RNG.normal(size=(3, 3)),
                               padding="same", flip=True),
    "colour to gray": dict(image=RNG.uniform(0, 255, (6, 7, 3)), kernel=RNG.normal(size=(3, 3)),
                           padding="valid", gray=True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_convviz_snippet_reproduces_the_output(name):
    doc = _doc(**CASES[name])
    out = _run(convviz_snippet(doc.state()))
    np.testing.assert_array_equal(out, doc.compute())


@pytest.mark.skipif(not HAS_TORCH, reason="PyTorch is not installed")
@pytest.mark.parametrize("name", list(CASES))
def test_pytorch_snippet_reproduces_the_output(name):
    doc = _doc(**CASES[name])
    code = pytorch_snippet(doc.state())
    out = _run(code)
    expected = doc.compute()
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=0, atol=1e-9)


def test_snippets_say_what_they_do():
    doc = _doc(**CASES["replicate flip"])
    torch_code = pytorch_snippet(doc.state())
    assert "torch.flip" in torch_code and "mode='replicate'" in torch_code and "F.conv2d" in torch_code
    code = convviz_snippet(doc.state())
    assert "filter_image" in code and "flip=True" in code and "padding_mode='replicate'" in code
    valid = pytorch_snippet(_doc(**CASES["lecture valid"]).state())
    assert "F.pad" not in valid and "torch.flip" not in valid


def test_lecture_numbers_are_written_exactly():
    code = convviz_snippet(_doc(**CASES["lecture valid"]).state())
    assert "[0, 10, 10, 0]" in code and "[1, 0]" in code
    np.testing.assert_array_equal(_run(code)[0], [60, 70, 50])


def test_large_image_is_read_from_its_file(tmp_path):
    pixels = RNG.integers(0, 256, (80, 90, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "big.png")
    doc = _doc(image=pixels.astype(float), kernel=np.ones((3, 3)) / 9, padding="same")
    source = {"path": str(tmp_path / "big.png")}
    code = convviz_snippet(doc.state(), source)
    assert "load_image" in code and "np.array(" in code and len(code) < 2000
    np.testing.assert_array_equal(_run(code), doc.compute())
    if HAS_TORCH:
        np.testing.assert_allclose(_run(pytorch_snippet(doc.state(), source)), doc.compute(), atol=1e-9)


def test_large_image_without_a_file_is_refused():
    doc = _doc(image=np.zeros((120, 120)))
    with pytest.raises(ValueError, match="save it as an image file"):
        convviz_snippet(doc.state())
    with pytest.raises(ValueError, match="save it as an image file"):
        pytorch_snippet(doc.state())
