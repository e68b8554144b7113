"""ConvDocument stores read-only float64 (or, for 8-bit pictures, uint8) arrays the caller cannot change,
without needless copies."""

import numpy as np
import pytest

from convviz.model import ConvDocument
from convviz.model.document import document_image


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.uint8])
def test_the_callers_array_cannot_change_the_document(dtype):
    mine = np.arange(48, dtype=dtype).reshape(6, 8)
    doc = ConvDocument()
    doc.apply(image=mine)
    assert doc.image.dtype == (np.uint8 if dtype == np.uint8 else np.float64) and not doc.image.flags.writeable
    mine[0, 0] = 99
    assert doc.image[0, 0] == 0
    with pytest.raises(ValueError):
        doc.image[0, 0] = 5


def test_a_single_channel_view_is_copied():
    mine = np.zeros((6, 8, 1))
    doc = ConvDocument()
    doc.apply(image=mine)
    mine[0, 0, 0] = 7
    assert doc.image.shape == (6, 8) and doc.image[0, 0] == 0


def test_a_read_only_array_of_the_caller_is_still_copied():
    mine = np.zeros((6, 8))
    mine.flags.writeable = False
    doc = ConvDocument()
    doc.apply(image=mine)
    assert doc.image is not mine
    mine.flags.writeable = True
    mine[0, 0] = 3
    assert doc.image[0, 0] == 0


def test_a_documents_own_arrays_are_reused_not_copied():
    a, b = ConvDocument(), ConvDocument()
    a.apply(image=np.ones((10, 12)))
    b.apply(image=a.image, kernel=a.kernel)          # e.g. undo snapshots and checked-then-applied changes
    assert b.image is a.image and b.kernel is a.kernel
    new = a.checked(image=np.full((10, 12), 2.0))
    a.apply(**new)
    assert a.image is new["image"]


def test_document_image_is_taken_without_another_copy():
    decoded = np.full((10, 12, 3), 7.0)
    ready = document_image(decoded, take=True)       # e.g. in the worker that decoded it
    assert ready is decoded and not ready.flags.writeable
    doc = ConvDocument()
    doc.apply(image=ready)
    assert doc.image is ready
    kept = np.zeros((10, 12))
    copied = document_image(kept)                    # not handed over: a copy
    assert copied is not kept and not copied.flags.writeable and kept.flags.writeable
    eight_bit = np.ones((4, 5), np.uint8)
    assert document_image(eight_bit, take=True) is eight_bit             # 8-bit stays uint8, no copy
    assert document_image(np.ones((4, 5), np.int16), take=True).dtype == np.float64
    over_bytes = np.frombuffer(bytes(range(60)), np.uint8).reshape(4, 5, 3)   # as Pillow hands a picture over
    assert document_image(over_bytes, take=True) is over_bytes          # bytes cannot change: no copy
    over_bytearray = np.frombuffer(bytearray(60), np.uint8).reshape(4, 5, 3)
    assert document_image(over_bytearray, take=True) is not over_bytearray   # a bytearray can: copied


def test_an_8bit_photo_is_held_as_uint8_with_the_same_numbers():
    """A 12-megapixel photo is 36 MB as uint8, 288 MB as float64: the document keeps uint8 (issue #13)."""
    from convviz.model import filter_image

    pixels = np.random.default_rng(0).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    doc = ConvDocument()
    doc.apply(image=pixels)
    assert doc.image.dtype == np.uint8 and not doc.image.flags.writeable and doc.image is not pixels
    np.testing.assert_array_equal(doc.image, pixels)
    out = filter_image(doc.image, doc.kernel, **doc.conv_kwargs())
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, filter_image(pixels.astype(np.float64), doc.kernel, **doc.conv_kwargs()))


def test_an_8bit_photo_gives_the_same_luminance_and_outputs_as_its_float64_copy():
    from convviz.model import filter_image, to_gray

    pixels = np.random.default_rng(2).integers(0, 256, (9, 11, 3), dtype=np.uint8)
    as_float = pixels.astype(np.float64)
    np.testing.assert_array_equal(to_gray(pixels), to_gray(as_float))
    k = np.array([[1.0, -2.0], [0.5, 3.0]])
    for gray in (False, True):
        for flip in (False, True):
            np.testing.assert_array_equal(filter_image(pixels, k, "same", gray=gray, flip=flip),
                                          filter_image(as_float, k, "same", gray=gray, flip=flip))
