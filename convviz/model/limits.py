"""Every limit of convviz in one place (no Qt): the window, the command line, sessions, lessons,
bank and kernel files all check against these numbers, before anything is allocated.

==========================  =====================  ===========================================================
limit                       value                  where it is checked
==========================  =====================  ===========================================================
``MAX_KERNEL_SIDE``         15                     rows or columns of a kernel / bank filter (document, files)
``MAX_KERNEL_CHANNELS``     4                      channels of a ``(KH, KW, C)`` kernel file
``MAX_PADDING``             64                     explicit padding per side (a name such as "full" may pad
                                                   more: ``D·(K−1)`` ≤ 112)
``MAX_STRIDE``              16                     stride per axis
``MAX_DILATION``            8                      dilation per axis
``MAX_BANK_FILTERS``        256                    filters in one bank layer (and slices, C_in, per filter)
``MAX_BANK_LAYERS``         8                      layers in a filter bank
``MAX_BANK_WEIGHTS``        1,000,000              weights in a whole bank (every layer), so every legal bank
                                                   fits a bank file and a session file
``MAX_IMAGE_PIXELS``        40,000,000             pixels of an image (file header, document)
``MAX_GRID_SIDE``           64                     rows or columns of a grid of numbers typed into a session
                                                   or lesson
``MAX_FILE_BYTES``          kernel 1 MB,           size of a file before it is read (bank and session sizes
                            bank 48 MiB,           hold the largest legal bank at
                            session 64 MiB,        ``WORST_JSON_BYTES_PER_WEIGHT``)
                            lesson 16 MiB
``MAX_JSON_DEPTH``          32                     nesting of lists and objects in any JSON file
``MAX_JSON_NUMBER_CHARS``   100                    characters of one number in a JSON file
``MAX_CONV_MATRIX_ENTRIES`` 16,777,216 (2^24)      entries of :func:`~convviz.model.conv_matrix` (128 MiB of
                                                   float64)
``MAX_ARGUMENT``            2,147,483,647          any size, padding, stride or dilation given to a model
                                                   function (2^31 − 1)
``MAX_WORK_PIXELS``         400,000,000            values of one padded input plane or Gaussian kernel that a
                                                   model function allocates
==========================  =====================  ===========================================================

Each ``check_*`` function raises ``ValueError`` with one sentence: what is too large, the limit,
and what to do. ``what`` names the thing in the caller's words (``"--padding"``,
``"slide 3 document.padding"``); messages start with it, so the model's default is capitalised.
"""

from __future__ import annotations

import numbers

MAX_KERNEL_SIDE = 15
MAX_KERNEL_CHANNELS = 4
MAX_PADDING = 64
MAX_STRIDE = 16
MAX_DILATION = 8
MAX_BANK_FILTERS = 256
MAX_BANK_LAYERS = 8
MAX_BANK_WEIGHTS = 1_000_000
MAX_IMAGE_PIXELS = 40_000_000
MAX_GRID_SIDE = 64
MAX_JSON_DEPTH = 32
MAX_JSON_NUMBER_CHARS = 100
MAX_CONV_MATRIX_ENTRIES = 2 ** 24
MAX_ARGUMENT = 2 ** 31 - 1
MAX_WORK_PIXELS = 400_000_000

#: bytes one weight can take in a bank or session file as convviz writes it (24 characters of
#: ``repr(float)``, the indentation and ``,\n``; measured 37 in a session)
WORST_JSON_BYTES_PER_WEIGHT = 40

_MIB = 1024 * 1024
#: largest file of each kind that is read at all (checked before reading)
MAX_FILE_BYTES = {
    "kernel": 1_000_000,
    "bank": 48 * _MIB,
    "session": 64 * _MIB,
    "lesson": 16 * _MIB,
}

__all__ = [
    "MAX_ARGUMENT", "MAX_BANK_FILTERS", "MAX_BANK_LAYERS", "MAX_BANK_WEIGHTS", "MAX_CONV_MATRIX_ENTRIES",
    "MAX_DILATION", "MAX_FILE_BYTES", "MAX_GRID_SIDE", "MAX_IMAGE_PIXELS", "MAX_JSON_DEPTH",
    "MAX_JSON_NUMBER_CHARS", "MAX_KERNEL_CHANNELS", "MAX_KERNEL_SIDE", "MAX_PADDING", "MAX_STRIDE",
    "MAX_WORK_PIXELS", "WORST_JSON_BYTES_PER_WEIGHT",
    "check_argument", "check_bank_filters", "check_bank_layers", "check_bank_weights", "check_conv_matrix",
    "check_dilation", "check_file_size", "check_image_pixels", "check_json_depth", "check_json_number",
    "check_kernel_size", "check_padding", "check_stride", "check_work_pixels", "file_size_text",
]


def _count(n: int) -> str:
    return f"{n:,}"


def _short(value) -> str:
    """``value`` for a message, never thousands of characters long."""
    text = str(value) if isinstance(value, numbers.Integral) else repr(value)
    return text if len(text) <= 24 else f"{text[:10]}…({len(text)} characters)"


def _pair(value) -> tuple:
    return (value, value) if isinstance(value, numbers.Integral) else tuple(value)


def _pair_text(value) -> str:
    """``3`` → ``"3"``; ``(3, 3)`` → ``"3"``; ``(1, 65)`` → ``"(1, 65)"``."""
    a, b = _pair(value)
    return _short(a) if a == b else f"({_short(a)}, {_short(b)})"


def _bytes(n: int) -> str:
    return f"{n / 1e9:,.1f} GB" if n >= 1e9 else f"{n / 1e6:,.0f} MB"


def file_size_text(n: int) -> str:
    """``50331648`` → ``"48 MiB"``, ``1000000`` → ``"1,000 kB"``: a file limit as people read it."""
    if n % _MIB == 0:
        return f"{n // _MIB} MiB"
    return f"{n / 1000:,.0f} kB"


def check_kernel_size(rows: int, cols: int, *, what: str = "The kernel") -> None:
    """Each side of a kernel is 1 to :data:`MAX_KERNEL_SIDE`."""
    if min(rows, cols) < 1 or max(rows, cols) > MAX_KERNEL_SIDE:
        raise ValueError(f"{what} is {_short(rows)}×{_short(cols)}; kernels have at least 1 and at most "
                         f"{MAX_KERNEL_SIDE} rows and columns: use a kernel of 1×1 to "
                         f"{MAX_KERNEL_SIDE}×{MAX_KERNEL_SIDE}.")


def check_padding(padding, *, what: str = "The padding") -> None:
    """An explicit padding (int or pair) is at most :data:`MAX_PADDING` per side; names pass."""
    if isinstance(padding, str):
        return
    pair = _pair(padding)
    if max(pair) > MAX_PADDING:
        raise ValueError(f"{what} is {_pair_text(padding)} pixels; at most {MAX_PADDING} per side "
                         f"is allowed: use a smaller padding, or 'same' or 'full'.")


def check_stride(stride, *, what: str = "The stride") -> None:
    """Stride (int or pair) is at most :data:`MAX_STRIDE` per axis."""
    pair = _pair(stride)
    if max(pair) > MAX_STRIDE:
        raise ValueError(f"{what} is {_pair_text(stride)}; at most {MAX_STRIDE} is allowed: "
                         f"use a smaller stride.")


def check_dilation(dilation, *, what: str = "The dilation") -> None:
    """Dilation (int or pair) is at most :data:`MAX_DILATION` per axis."""
    pair = _pair(dilation)
    if max(pair) > MAX_DILATION:
        raise ValueError(f"{what} is {_pair_text(dilation)}; at most {MAX_DILATION} is allowed: "
                         f"use a smaller dilation.")


def check_bank_layers(count: int, *, what: str = "The bank") -> None:
    if count > MAX_BANK_LAYERS:
        raise ValueError(f"{what} has {_count(count)} layers; at most {MAX_BANK_LAYERS} are allowed: "
                         f"remove layers.")


def check_bank_filters(count: int, *, what: str = "The layer", things: str = "filters") -> None:
    """Filters in a layer (or slices in a filter, ``things="slices"``) are at most :data:`MAX_BANK_FILTERS`."""
    if count > MAX_BANK_FILTERS:
        raise ValueError(f"{what} has {_count(count)} {things}; at most {MAX_BANK_FILTERS} are allowed: "
                         f"remove some.")


def check_bank_weights(count: int, *, what: str = "The filter bank") -> None:
    """All weights of a bank together are at most :data:`MAX_BANK_WEIGHTS`."""
    if count > MAX_BANK_WEIGHTS:
        raise ValueError(f"{what} has {_count(count)} weights; at most {_count(MAX_BANK_WEIGHTS)} are allowed: "
                         f"use fewer or smaller filters, or fewer layers.")


def check_image_pixels(height: int, width: int, *, what: str = "The image") -> None:
    """An image has at most :data:`MAX_IMAGE_PIXELS` pixels."""
    if height * width > MAX_IMAGE_PIXELS:
        raise ValueError(f"{what} is {_count(width)} × {_count(height)} pixels ({height * width / 1e6:,.1f} "
                         f"megapixels); convviz opens images of at most {MAX_IMAGE_PIXELS / 1e6:,.0f} megapixels: "
                         f"scale it down first.")


def check_file_size(size: int, kind: str) -> None:
    """A ``kind`` file (kernel, bank, session, lesson) is at most ``MAX_FILE_BYTES[kind]`` bytes."""
    limit = MAX_FILE_BYTES[kind]
    if size > limit:
        raise ValueError(f"the file is {_count(size)} bytes; {kind} files are at most {file_size_text(limit)}, "
                         f"so this is not a {kind} file convviz can open")


def check_json_depth(depth: int) -> None:
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"its lists and objects are nested {_count(depth)} deep; convviz files are at most "
                         f"{MAX_JSON_DEPTH} deep, so it is not a file convviz wrote")


def check_json_number(text: str) -> None:
    """One number in a JSON file has at most :data:`MAX_JSON_NUMBER_CHARS` characters."""
    if len(text) > MAX_JSON_NUMBER_CHARS:
        raise ValueError(f"it holds a number written with {_count(len(text))} characters (starting {text[:12]}…); "
                         f"numbers have at most {MAX_JSON_NUMBER_CHARS}: write it shorter")


def check_conv_matrix(rows: int, cols: int) -> None:
    """A convolution matrix has at most :data:`MAX_CONV_MATRIX_ENTRIES` entries."""
    if rows * cols > MAX_CONV_MATRIX_ENTRIES:
        raise ValueError(f"The convolution matrix would be {_count(rows)} × {_count(cols)} = "
                         f"{_count(rows * cols)} entries ({_bytes(rows * cols * 8)} of float64); at most "
                         f"{_count(MAX_CONV_MATRIX_ENTRIES)} are built: use a smaller input.")


def check_argument(value: int, name: str) -> None:
    """A size, padding, stride or dilation given to a model function is at most :data:`MAX_ARGUMENT`."""
    if value > MAX_ARGUMENT:
        raise ValueError(f"{name} is {_short(value)}; at most {_count(MAX_ARGUMENT)} is allowed.")


def check_work_pixels(height: int, width: int, *, what: str,
                      advice: str = "use less padding or a smaller image") -> None:
    """One plane the model would allocate (a padded input, a Gaussian kernel) has at most
    :data:`MAX_WORK_PIXELS` values."""
    if height * width > MAX_WORK_PIXELS:
        raise ValueError(f"{what} would be {_short(height)}×{_short(width)} values; at most "
                         f"{_count(MAX_WORK_PIXELS)} are computed: {advice}.")
