"""The document: what the user is looking at, as one evented object (no Qt).

Views observe ``doc.events.<field>`` (psygnal signals, one per field, emitted
with the new value) and never compute convolutions themselves. Arrays are
replaced, never edited in place, so every change emits. Use :meth:`ConvDocument.apply`
to change several fields at once: the whole change is checked first and either
applied completely or refused with a ``ValueError`` that leaves the document untouched.
"""

from __future__ import annotations

import weakref
from contextlib import ExitStack
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from psygnal import evented

if TYPE_CHECKING:
    from psygnal import SignalGroup

from ._args import PADDING_MODES, as_pair
from .filtering import filter_image, to_gray
from .limits import (
    MAX_KERNEL_SIDE,
    check_dilation,
    check_image_pixels,
    check_kernel_size,
    check_padding,
    check_stride,
)
from .presets import PRESETS
from .shapes import output_shape

__all__ = ["MAX_KERNEL_SIDE", "ConvDocument", "document_image"]


def _default_image() -> np.ndarray:
    """A small synthetic image with edges, used until a real one is loaded."""
    y, x = np.mgrid[0:64, 0:64]
    img = np.where((x > 16) & (x < 48) & (y > 16) & (y < 48), 200.0, 40.0)
    return img


def _same(a, b) -> bool:
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and bool(
            np.array_equal(a, b))
    return a == b


#: arrays frozen here (by id, checked by identity): a document's own arrays are reused, never copied again
_FROZEN: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _frozen(a, *, fresh: bool = False) -> np.ndarray:
    """A read-only float64 (or uint8) array nobody else can write to.

    ``a`` itself when it was frozen here before (e.g. another document's image, an undo snapshot)
    or when ``fresh`` (an array just made from the caller's that owns its data, or whose data is an
    immutable ``bytes`` object, as a decoded picture's is); otherwise a copy, so the caller cannot
    change the document behind its back. uint8 stays
    uint8 (an 8-bit photo's exact values in an eighth of the memory); everything else is float64.
    """
    if isinstance(a, np.ndarray) and _FROZEN.get(id(a)) is a:
        return a  # type: ignore[return-value]
    dtype = np.uint8 if isinstance(a, np.ndarray) and a.dtype == np.uint8 else np.float64
    if fresh and isinstance(a, np.ndarray) and a.dtype == dtype and (a.flags.owndata or _over_bytes(a)):
        arr = a
    else:
        arr = np.array(a, dtype=dtype)
    arr.flags.writeable = False
    _FROZEN[id(arr)] = arr
    return arr


def _over_bytes(a: np.ndarray) -> bool:
    """True when ``a``'s data is (a view of) an immutable ``bytes`` object: nobody can write to it."""
    base = a.base
    while isinstance(base, np.ndarray):
        base = base.base
    return isinstance(base, bytes)


def document_image(image, *, take: bool = False) -> np.ndarray:
    """``image`` made read-only as a document stores it (float64, or uint8 for an 8-bit photo), so
    :meth:`ConvDocument.apply` uses it without another copy (call it in a worker to keep a big copy
    off the GUI thread).

    ``take=True`` hands over an array nobody else holds (e.g. just decoded): it is frozen in place
    instead of copied. Shapes are checked by :meth:`ConvDocument.checked`, as always.
    """
    arr = np.asarray(image)
    fresh = take and isinstance(image, np.ndarray)
    if arr.dtype in (np.float64, np.uint8):
        return _frozen(arr, fresh=fresh)
    return _frozen(arr.astype(np.float64), fresh=True)


@evented
@dataclass
class ConvDocument:
    """Image, kernel and settings of one convolution.

    ``image`` is (H, W) or (H, W, 3), 0–255, float64 — or uint8 when it came from an 8-bit file
    (exactly the same numbers; every computation converts to float64); ``kernel`` (KH, KW) float64;
    ``padding`` a name (valid/same/full) or explicit ``(ph, pw)``; ``stride`` and
    ``dilation`` pairs; ``padding_mode`` a PyTorch name; ``flip`` True for true
    convolution; ``gray`` True to convert a colour image to luminance first;
    ``preset`` the key of the preset the kernel came from (``None`` once edited).
    """

    image: np.ndarray = field(default_factory=_default_image)
    image_name: str = "untitled"
    kernel: np.ndarray = field(default_factory=lambda: np.array(PRESETS["sobel_x"].kernel))
    preset: str | None = "sobel_x"
    padding: str | tuple[int, int] = "same"
    stride: tuple[int, int] = (1, 1)
    dilation: tuple[int, int] = (1, 1)
    padding_mode: str = "zeros"
    flip: bool = False
    gray: bool = False
    if TYPE_CHECKING:
        events: ClassVar[SignalGroup]  # made by @evented: one signal per field

    def __post_init__(self):
        self.image = _frozen(self.image)
        self.kernel = _frozen(self.kernel)

    # -- reading -----------------------------------------------------------------
    def conv_kwargs(self) -> dict:
        """Keyword arguments for :func:`~convviz.model.filter_image` with today's settings."""
        return dict(padding=self.padding, stride=self.stride, dilation=self.dilation,
                    padding_mode=self.padding_mode, flip=self.flip, gray=self.gray)

    @property
    def is_colour(self) -> bool:
        return self.image.ndim == 3

    def input_image(self) -> np.ndarray:
        """The image the kernel slides over: luminance when ``gray`` is set, else the image."""
        return to_gray(self.image) if (self.gray and self.is_colour) else self.image

    def output_shape(self) -> tuple[int, int]:
        return output_shape(self.image.shape[:2], self.kernel.shape, self.padding,
                            stride=self.stride, dilation=self.dilation)

    def compute(self) -> np.ndarray:
        """The filtered output with today's settings (can take a while on large images)."""
        return filter_image(self.image, self.kernel, **self.conv_kwargs())

    def state(self) -> dict:
        """Every field, for snapshots (undo) and sessions."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    # -- changing ----------------------------------------------------------------
    def apply(self, **changes) -> None:
        """Check and then make ``changes`` (field=value) together; ``ValueError`` changes nothing."""
        new = self.checked(**changes)
        # set every field first, then emit: an observer of one field always sees the others' new values
        old = {name: getattr(self, name) for name in new}
        with ExitStack() as stack:
            for name in new:
                stack.enter_context(self.events[name].blocked())
            for name, value in new.items():
                setattr(self, name, value)
        for name in new:
            if not _same(old[name], getattr(self, name)):
                self.events[name].emit(getattr(self, name), old[name])

    def checked(self, **changes) -> dict:
        """Normalised copies of ``changes``, after checking the resulting state can be computed.

        Every value is checked against :mod:`convviz.model.limits` (kernel side, explicit padding,
        stride, dilation, image pixels) before any array is allocated; ``ValueError`` otherwise.
        """
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"Unknown document field(s): {', '.join(sorted(unknown))}.")
        new = dict(changes)
        # the small settings first, so a refused padding never costs an image copy
        if "padding" in new:
            p = new["padding"]
            if isinstance(p, str):
                if p not in ("valid", "same", "full"):
                    raise ValueError(f"Unknown padding {p!r}: use valid, same, full or (ph, pw).")
            else:
                new["padding"] = as_pair(p, "padding", minimum=0)
                check_padding(new["padding"])
        if "stride" in new:
            new["stride"] = as_pair(new["stride"], "stride", minimum=1)
            check_stride(new["stride"])
        if "dilation" in new:
            new["dilation"] = as_pair(new["dilation"], "dilation", minimum=1)
            check_dilation(new["dilation"])
        if "padding_mode" in new and new["padding_mode"] not in PADDING_MODES:
            raise ValueError(f"Unknown padding mode {new['padding_mode']!r:.40}: use {', '.join(PADDING_MODES)}.")
        if "preset" in new and new["preset"] is not None and new["preset"] not in PRESETS:
            raise ValueError(f"Unknown preset {new['preset']!r:.40}.")
        if "image_name" in new and not isinstance(new["image_name"], str):
            raise ValueError(f"The image name must be text, not {type(new['image_name']).__name__}.")
        for name in ("flip", "gray"):
            if name in new:
                new[name] = bool(new[name])
        if "kernel" in new:
            k = _numbers(new["kernel"], "kernel")
            if k.ndim != 2:
                raise ValueError(f"The kernel must be 2-D with 1 to {MAX_KERNEL_SIDE} rows and columns, "
                                 f"not shape {k.shape}.")
            check_kernel_size(*k.shape)
            if not np.all(np.isfinite(k)):
                raise ValueError("Every kernel weight must be a finite number.")
            new["kernel"] = _frozen(k)
        if "image" in new:
            raw = new["image"]
            shape = np.shape(raw) if isinstance(raw, np.ndarray) else None
            if shape is not None and len(shape) in (2, 3):
                check_image_pixels(shape[0], shape[1])  # before the float64 copy
            img = raw if isinstance(raw, np.ndarray) and raw.dtype == np.uint8 else _numbers(raw, "image")
            if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] not in (1, 3)) or img.size == 0:
                raise ValueError(f"The image must be (H, W) or (H, W, 3), not shape {img.shape}.")
            check_image_pixels(img.shape[0], img.shape[1])
            if img.ndim == 3 and img.shape[2] == 1:
                img = img[:, :, 0]
            new["image"] = _frozen(img, fresh=img is not raw and isinstance(raw, np.ndarray))
        state = {**self.state(), **new}
        output_shape(state["image"].shape[:2], state["kernel"].shape, state["padding"],
                     stride=state["stride"], dilation=state["dilation"])
        return new


def _numbers(value, what: str) -> np.ndarray:
    """``value`` as float64 (no copy when it already is); ``ValueError`` when it does not hold real numbers."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"The {what} must be an array of real numbers.") from None
    return arr
