"""The current step's numbers as CSV text (no Qt): one row per kernel tap, then the totals.

Every number comes from the :class:`~convviz.model.Step` itself; this module only lays it out.
Values are written with ``repr`` precision so a spreadsheet gets exactly the app's numbers.
"""

from __future__ import annotations

import csv
import io

import numpy as np

from convviz.model import Step

HEADER = ("tap_row", "tap_col", "channel", "input_row", "input_col", "on_padding", "pixel", "weight", "product")


def _n(value) -> str:
    v = float(value)
    return str(int(v)) if v.is_integer() and abs(v) < 2 ** 53 else repr(v)


def step_csv(step: Step, *, total_steps: int | None = None) -> str:
    """CSV of ``step``: a table of taps (pixel × weight = product) and the sum, dot, cosine and Pearson."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(HEADER)
    patch, kernel, products = step.patch, step.kernel, step.products
    for index in np.ndindex(patch.shape):
        r, c = index[0], index[1]
        channel = index[2] + 1 if len(index) == 3 else ""
        out.writerow((r, c, channel, int(step.rows[r]), int(step.cols[c]),
                      "no" if step.in_image[r, c] else "yes",
                      _n(patch[index]), _n(kernel[index]), _n(products[index])))
    out.writerow(())
    of = f" of {total_steps}" if total_steps is not None else ""
    out.writerow(("quantity", "value"))
    out.writerow(("step", f"{step.index + 1}{of}"))
    out.writerow(("output_row", step.out_index[0]))
    out.writerow(("output_col", step.out_index[1]))
    out.writerow(("sum_of_products", _n(step.value)))
    out.writerow(("dot_product", _n(step.dot)))
    out.writerow(("cosine_similarity", _n(step.cosine)))
    out.writerow(("pearson_correlation", _n(step.pearson)))
    out.writerow(("arithmetic", step.expression))
    return buf.getvalue()
