"""Giving the memory of dropped maps back to the system (glibc's ``malloc_trim``; elsewhere nothing).

The bank's worker makes an image's maps between large temporaries (the padded input, the
convolution's output), and the maps then live on while they are shown. glibc keeps the pages freed
around them inside the worker thread's heap instead of returning them, so switching images grew
the process by ~0.6 MB a photo (36–44 MB over 60 loads of a 512×528 photo, a plateau near 40 MB),
although every array of the previous image had been freed. ``malloc_trim(0)`` returns those free
pages; it is called in the worker after an image's maps were dropped (a few ms, never on the GUI
thread), which keeps the growth near 5 MB. Not needed, and a no-op, where ``malloc_trim`` does not exist.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys


def _find_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):   # not glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_TRIM = _find_trim()


def give_back_free_memory() -> bool:
    """Return the free pages of every heap to the system; True if anything was returned."""
    return bool(_TRIM(0)) if _TRIM is not None else False
