"""Numbers as people read them: counts with separators, memory in kB/MB/GB, ratios, short bar labels.

One place for the window and the command line, so both say "19.2 kB" the same way
(1 kB = 1,000 bytes, SI).
"""

from __future__ import annotations

from .stepping import format_number

BYTE_UNITS = ((10 ** 15, "PB"), (10 ** 12, "TB"), (10 ** 9, "GB"), (10 ** 6, "MB"), (10 ** 3, "kB"))


def count_text(n: int) -> str:
    """``154140672`` → ``154,140,672``."""
    return f"{int(n):,}"


def bytes_text(n: int) -> str:
    """Memory: ``19,200`` → ``19.2 kB``; ``616,562,688`` → ``616.6 MB``; beyond petabytes in scientific notation."""
    n = int(n)
    if n >= 10 ** 18:
        return f"{n / 10 ** 15:.3g} PB"
    for size, unit in BYTE_UNITS:
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{n:,} bytes"


def ratio_text(ratio: float) -> str:
    """``32113.4`` → ``≈ 32,113×``; ratios below 10 keep one decimal (``≈ 2.5×``)."""
    if ratio >= 10:
        return f"≈ {ratio:,.0f}×"
    return f"≈ {ratio:,.1f}×"


def short_count(n: float) -> str:
    """Bar labels: ``4800`` → ``4.8K``, ``154140672`` → ``154M``."""
    n = float(n)
    for size, unit in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K")):
        if n >= size:
            return f"{n / size:.3g}{unit}"
    return format_number(n)
