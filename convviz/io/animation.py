"""Animations out: an animated GIF or a numbered PNG sequence from uint8 RGB frames (Pillow, no Qt).

Frames are ``(H, W, 3)`` (or ``(H, W)`` grey) ``uint8`` arrays, all the same size, from a list
or any iterator, so a caller can render them one at a time. ``progress(done, total)`` is
called after each frame; returning ``False`` cancels: :class:`AnimationCancelled` is
raised and nothing is left behind (no partial GIF, no stray PNG files).

The GIF is written to a temporary file and renamed into place, so a failed or cancelled
export never destroys an existing file of the same name. GIF stores one palette of 256
colours per frame, which is plenty for the app's flat colour maps. A frame identical to
the one before it is merged into it by Pillow (its display time is added), so the file
holds one frame per *distinct* consecutive picture.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sized
from pathlib import Path

import numpy as np
from PIL import Image

from ._files import OutputFileError, atomic_write

__all__ = ["AnimationCancelled", "MAX_FRAMES", "write_gif", "write_png_sequence"]

#: the most frames one export writes (a 600-step GIF at 10 frames/s runs a minute)
MAX_FRAMES = 600

Progress = Callable[[int, int], "bool | None"]


class AnimationCancelled(Exception):
    """The progress callback asked to stop; nothing was written."""


def _checked_frames(frames: Iterable, total: int | None, progress: Progress | None):
    """Yield Pillow images of ``frames``, checking each and reporting progress."""
    size = None
    count = 0
    for frame in frames:
        arr = np.asarray(frame)
        if arr.dtype != np.uint8 or arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] != 3):
            raise ValueError(f"frame {count + 1} must be a uint8 (H, W, 3) or (H, W) array, "
                             f"not {arr.dtype} {arr.shape}.")
        if size is None:
            size = arr.shape[:2]
        elif arr.shape[:2] != size:
            raise ValueError(f"frame {count + 1} is {arr.shape[1]}×{arr.shape[0]} pixels but the first "
                             f"frame is {size[1]}×{size[0]}; every frame must be the same size.")
        count += 1
        if count > MAX_FRAMES:
            raise ValueError(f"an animation has at most {MAX_FRAMES} frames.")
        yield Image.fromarray(np.ascontiguousarray(arr)).convert("RGB")
        if progress is not None and progress(count, total if total is not None else 0) is False:
            raise AnimationCancelled()
    if count == 0:
        raise ValueError("there are no frames to write.")


def write_gif(path, frames: Iterable, *, frame_ms: int = 400, loop: int = 0, total: int | None = None,
              progress: Progress | None = None) -> Path:
    """Write ``frames`` as an animated GIF showing each for ``frame_ms`` milliseconds.

    ``loop=0`` repeats forever. ``total`` (the expected number of frames) is passed to
    ``progress``; when ``frames`` has a length it is taken from there.
    """
    if isinstance(frame_ms, bool) or not isinstance(frame_ms, int) or frame_ms < 20:
        raise ValueError("frame_ms must be an integer of at least 20 (GIF counts in hundredths of a second).")
    if total is None and isinstance(frames, Sized):
        total = len(frames)
    images = _checked_frames(frames, total, progress)

    def write(fh):
        first = next(images)
        # Pillow draws the rest from the iterator while it writes, one frame at a time
        first.save(fh, format="GIF", save_all=True, append_images=images, duration=frame_ms, loop=loop,
                   optimize=False, disposal=1)

    return atomic_write(path, write)


def _png_writer(image: Image.Image):
    def write(fh) -> None:
        image.save(fh, format="PNG")
    return write


def write_png_sequence(folder, frames: Iterable, *, prefix: str = "frame", total: int | None = None,
                       progress: Progress | None = None) -> list[Path]:
    """Write ``frames`` as ``folder/prefix_0001.png``, ``prefix_0002.png``, … (created if needed).

    Existing files of the same names are replaced one by one, each atomically; on
    cancel or error every file this call wrote is removed again (and the folder, if
    this call made it). Returns the paths written.
    """
    if not prefix or any(c in prefix for c in "/\\") or prefix.startswith("."):
        raise ValueError(f"{prefix!r} is not a usable file name prefix.")
    folder = Path(os.fspath(folder))
    made_folder = False
    if not folder.exists():
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise OutputFileError(folder, exc.strerror or "the folder cannot be created") from None
        made_folder = True
    elif not folder.is_dir():
        raise OutputFileError(folder, "it is a file, not a folder")
    if total is None and isinstance(frames, Sized):
        total = len(frames)
    digits = max(4, len(str(total or 0)))
    written: list[Path] = []
    try:
        for number, image in enumerate(_checked_frames(frames, total, progress), start=1):
            dest = folder / f"{prefix}_{number:0{digits}d}.png"
            written.append(atomic_write(dest, _png_writer(image)))
    except BaseException:
        for path in written:
            try:
                path.unlink()
            except OSError:
                pass
        if made_folder:
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
    return written
