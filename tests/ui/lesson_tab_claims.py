"""Caption checkers for what one tab shows (player, filter, matrix, equivariance, flip, bank, costs, learning);
the shared ones and :func:`~lesson_claims.check_caption` are in lesson_claims.py."""

from __future__ import annotations

import re

import numpy as np
from lesson_claims import DOCUMENT_TABS, NUMBER, claim, num, preset_aliases, rounds_to, shape_of

from convviz.model import PRESETS, conv_matrix, convolve, correlate, layer_costs
from convviz.model.colour import display_rgb
from convviz.model.equivariance import centre_crop, equivariance_check
from convviz.model.flipping import flipped


# == Step through ===================================================================================
@claim(r"[Ll]ecture mode", {"player"})
def _lecture_mode(s, m):
    assert s.state.lecture_mode, "lecture mode is off"


@claim(r"(\d+) of the (\d+) products", {"player"})
def _revealed(s, m):
    step = s.panel.current_step
    assert (s.panel.revealed_products, step.kernel.size) == shape_of(m), f"{s.panel.revealed_products} are shown"
    shown = list(zip(step.patch.ravel(), step.kernel.ravel(), step.products.ravel()))[:s.panel.revealed_products]
    assert all(f"{p:g}×{w:g} = {x:g}" in s.caption for p, w, x in shown), "the caption names other products"


@claim(r"no product is revealed", {"player"})
def _none_revealed(s, m):
    assert s.panel.revealed_products == 0, f"{s.panel.revealed_products} products are revealed"


@claim(r"output grid is still empty", {"player"})
def _output_empty(s, m):
    assert s.panel.view.output_grid.filled() == 0, "the output grid shows numbers"


@claim(r"[Tt]he first output(?: number)? is (?:now )?(?:[^.=]*= )?(" + NUMBER + ")", DOCUMENT_TABS)
def _first_output(s, m):
    out = s.doc.compute()
    assert rounds_to(out.reshape(out.shape[0], out.shape[1], -1)[0, 0, 0], m.group(1)), f"it is {out.flat[0]}"
    if s.key == "player":
        assert s.panel.view.output_grid.is_filled(0, 0), "the output grid does not show it"


@claim(r"dot product(?: is|,) (\d+)", {"player"})
def _dot(s, m):
    assert rounds_to(s.panel.current_step.dot, m.group(1)), f"it is {s.panel.current_step.dot}"


@claim(r"cosine similarity is (?:just )?(" + NUMBER + ")", {"player"})
def _cosine(s, m):
    assert rounds_to(s.panel.current_step.cosine, m.group(1)), f"it is {s.panel.current_step.cosine}"


@claim(r"Pearson[^.]*?here it is (" + NUMBER + ")", {"player"})
def _pearson(s, m):
    assert rounds_to(s.panel.current_step.pearson, m.group(1)), f"it is {s.panel.current_step.pearson}"


@claim(r"flat patch Pearson is undefined", {"player"})
def _pearson_undefined(s, m):
    seq = s.panel.steps
    flat = [seq[i] for i in range(len(seq)) if np.ptp(seq[i].patch) == 0]
    assert flat and all(np.isnan(step.pearson) for step in flat), "no flat patch, or its Pearson is a number"


def _cosines(s) -> np.ndarray:
    seq = s.panel.steps
    return np.array([seq[i].cosine for i in range(len(seq))])


@claim(r"similarity map", {"player"})
def _similarity_map(s, m):
    grid = s.panel.view.similarity_grid
    assert s.state.similarity_map and grid.isVisible(), "the similarity map is not shown"
    assert s.panel.step_index == s.panel.step_count - 1 or grid.filled() is None, "the map is not filled"


@claim(r"(\d\.\d+), the highest in the map", {"player"})
def _best_match(s, m):
    assert rounds_to(np.nanmax(_cosines(s)), m.group(1))


@claim(r"(?<![\d.])(0\.\d\d)(?!\d)", {"player"})
def _similarity_numbers(s, m):
    step = s.panel.current_step
    seen = _cosines(s) if s.state.similarity_map else [step.cosine, step.pearson]
    assert any(rounds_to(v, m.group(1)) for v in seen), "no cosine or Pearson shown has that value"


@claim(r"\bstep (\d+) of (\d+)", {"player"})
def _step(s, m):
    assert (s.panel.step_index + 1, s.panel.step_count) == shape_of(m)


# == Filter =========================================================================================
def _colours(s):
    out = s.doc.compute()
    return out, display_rgb(out, colormap=s.state.colormap, levels=s.state.levels).astype(int)


@claim(r"positive \(red\)|negative \(blue\)|is 0 \(light grey\)", {"filter"})
def _edge_colours(s, m):
    out, rgb = _colours(s)
    where = {"p": np.argmax(out), "n": np.argmin(out), "i": np.argmin(np.abs(out))}[m.group(0)[0]]
    r, g, b = rgb.reshape(-1, 3)[where]
    assert {"p": r > b + 60, "n": b > r + 60, "i": min(r, g, b) > 180 and max(r, g, b) - min(r, g, b) < 30}[
        m.group(0)[0]], f"drawn as {(r, g, b)}"


@claim(r"comes out unchanged", {"filter"})
def _unchanged(s, m):
    assert np.array_equal(s.doc.compute(), s.doc.input_image())


@claim(r"red, green and blue channels one by one", {"filter"})
def _per_channel(s, m):
    assert s.doc.compute().ndim == 3 and s.doc.compute().shape[2] == 3


# == As a matrix ====================================================================================
def _matrix(s) -> np.ndarray:
    d = s.doc
    crop = d.input_image()[:s.state.crop, :s.state.crop]
    return conv_matrix(d.kernel, crop.shape, d.padding, stride=d.stride, dilation=d.dilation)


@claim(r"matrix is (\d+)×(\d+)|(\d+) rows \(one per output\) and (\d+) columns", {"matrix"})
def _matrix_shape(s, m):
    assert _matrix(s).shape == shape_of(m), f"M is {_matrix(s).shape}"


@claim(r"(\d[\d,]*) of (?:its|the) (\d[\d,]*) entries are 0", {"matrix"})
def _zeros(s, m):
    mat = _matrix(s)
    assert (int(np.sum(mat == 0)), mat.size) == (num(m.group(1)), num(m.group(2)))


@claim(r"only (\d+) of the (\d+) entries in a row are non-zero", {"matrix"})
def _row_nonzeros(s, m):
    mat = _matrix(s)
    assert (int(np.count_nonzero(mat, axis=1).max()), mat.shape[1]) == shape_of(m)


@claim(r"(\d+) zero weights", DOCUMENT_TABS)
def _zero_weights(s, m):
    assert int(np.sum(s.doc.kernel == 0)) == int(m.group(1))


# == Equivariance ===================================================================================
def _equivariance(s):
    d = s.doc
    return equivariance_check(centre_crop(d.image, s.state.crop), d.kernel, s.state.dy, s.state.dx, d.padding,
                              stride=d.stride, dilation=d.dilation, flip=d.flip)


@claim(r"(\d+) pixels? down and (\d+) right", {"equivariance"})
def _shift(s, m):
    assert (s.state.dy, s.state.dx) == shape_of(m)


@claim(r"one-pixel shift", {"equivariance"})
def _one_pixel(s, m):
    assert max(abs(s.state.dy), abs(s.state.dx)) == 1


@claim(r"differ by (\d+)", {"equivariance"})
def _difference(s, m):
    assert rounds_to(_equivariance(s).max_difference_inside, m.group(1))


@claim(r"differ even away from the border", {"equivariance"})
def _differs(s, m):
    assert _equivariance(s).max_difference_inside > 0


# == Correlation vs convolution =====================================================================
@claim(r"looks the same after half a turn", {"flip"})
def _symmetric(s, m):
    assert np.array_equal(flipped(s.doc.kernel), s.doc.kernel)


@claim(r"minus itself", {"flip"})
def _antisymmetric(s, m):
    assert np.array_equal(flipped(s.doc.kernel), -s.doc.kernel)


@claim(r"exactly the same output", {"flip"})
def _same_output(s, m):
    x, d = s.doc.input_image(), s.doc
    assert np.array_equal(correlate(x, d.kernel, d.padding), convolve(x, d.kernel, d.padding))


@claim(r"computes (cross-correlation|true convolution)", {"flip"})
def _flip_flag(s, m):
    assert s.doc.flip == (m.group(1) == "true convolution"), f"flip is {s.doc.flip}"


@claim(r"A \* W = W \* A", {"flip"})
def _commutes(s, m):
    assert np.array_equal(s.panel.results["conv_aw"], s.panel.results["conv_wa"])


# == Filter bank ====================================================================================
def _maps(s) -> np.ndarray:
    assert s.panel.wait_for_maps()
    return np.stack(s.panel.shown_maps()[0], axis=-1)


def _layer(s):
    return s.panel.network[s.panel.layer_index]


@claim(r"shape is H×W×3, here (\d+)×(\d+)×(\d+)", {"bank"})
def _image_shape(s, m):
    assert s.doc.image.shape == shape_of(m)


@claim(r"block, here (\d+)×(\d+)×(\d+)", {"bank"})
def _stack_shape(s, m):
    assert _maps(s).shape == shape_of(m)


@claim(r"(one|two|three|four|five|six|\d+) maps is as big as the photo, (\d+)×(\d+)", {"bank"})
def _map_size(s, m):
    maps, count = _maps(s), num(m.group(1))
    assert (maps.shape[2], *maps.shape[:2]) == (count, *shape_of(m, 2)) == (count, *s.doc.image.shape[:2])


@claim(r"(\d+)×(\d+)×(\d+)×(\d+) = \d+ weights", {"bank"})
def _bank_shape(s, m):
    assert _layer(s).weights().shape == shape_of(m)


@claim(r"\b(one|two|three|four|five|six|\d+) filters\b", {"bank", "costs"})
def _filter_count(s, m):
    count = s.state.filters if s.key == "costs" else len(_layer(s).names)
    assert count == num(m.group(1)), f"there are {count}"


@claim(r"[Ee]ach map has its own colour scale", {"bank"})
def _own_scale(s, m):
    assert not s.state.shared_scale, "the maps share one colour scale"


@claim(r"b = (" + NUMBER + ")", {"bank"})
def _bias(s, m):
    assert np.all(_layer(s).biases() == num(m.group(1))), f"the biases are {_layer(s).biases()}"


@claim(r"\b(ReLU|Sigmoid|sigmoid|tanh)\b", {"bank"})
def _activation(s, m):
    first = re.search(r"\b(ReLU|Sigmoid|sigmoid|tanh)\b", s.caption)
    if m.start() == first.start():
        assert {layer.activation for layer in s.panel.network.layers} == {m.group(1).lower()}


@claim(r"every map now starts at 0", {"bank"})
def _relu_maps(s, m):
    assert np.all(_maps(s).min(axis=(0, 1)) == 0)


@claim(r"each map here runs from 0 to 1", {"bank"})
def _sigmoid_maps(s, m):
    assert _maps(s).min() >= 0 and _maps(s).max() <= 1


@claim(r"The (\w[\w ]*?)'s strongest response, (\d+), is below (\d+), so its whole map is now 0", {"bank"})
def _threshold(s, m):
    key = preset_aliases()[m.group(1).lower()]
    d = s.doc
    strongest = correlate(d.input_image(), PRESETS[key].kernel, d.padding, padding_mode=d.padding_mode).max()
    assert rounds_to(strongest, m.group(2)) and strongest < num(m.group(3)) <= -_layer(s).biases().max()
    assert np.all(_maps(s)[..., _layer(s).names.index(key)] == 0)


@claim(r"at the marked pixel (\w[\w ]*?) gives ((?:\d+ \+ )+\d+) = (\d+)", {"bank"})
def _channel_sums(s, m):
    key = preset_aliases()[m.group(1).lower()]
    index, (row, col), d = _layer(s).names.index(key), s.panel.pixel, s.doc
    w = _layer(s).weights()[:, :, :, index]
    parts = [correlate(d.input_image()[..., c], w[:, :, c], d.padding)[row, col] for c in range(w.shape[2])]
    assert parts == [num(p) for p in m.group(2).split(" + ")] and _maps(s)[row, col, index] == num(m.group(3))


@claim(r"layer (\d+) reads the (\d+) maps of layer (\d+) \((\d+)×(\d+)×(\d+)\)", {"bank"})
def _chain(s, m):
    layer, maps, before, h, w, c = shape_of(m)
    assert s.panel.layer_index + 1 == layer == before + 1 and maps == c
    assert len(s.panel.network[before - 1].names) == c and s.doc.output_shape() == (h, w)


@claim(r"with valid padding, makes (\d+) new maps of (\d+)×(\d+)", {"bank"})
def _second_layer(s, m):
    maps = _maps(s)
    assert maps.shape[::-1][:1] + maps.shape[:2] == shape_of(m)


# == Costs ==========================================================================================
def _costs(s):
    st = s.state
    return layer_costs((st.h, st.w, st.c), (st.kh, st.kw), st.filters, st.padding, stride=st.stride,
                       dilation=st.dilation, bias=st.bias)


@claim(r"\b\d{1,3}(?:,\d{3})+\b", {"costs"})
def _cost_number(s, m):
    c, st = _costs(s), s.state
    known = {c.conv_params, c.dense_params, c.conv_macs, c.dense_macs, round(c.ratio), st.h * st.w * st.c,
             int(np.prod(c.output_shape))}
    assert num(m.group(0)) in known, f"the costs tab shows none of {sorted(known)} as that"


@claim(r"(\d+) multiply-adds for each", {"costs"})
def _macs_per_output(s, m):
    assert s.state.kh * s.state.kw * s.state.c == int(m.group(1))


# == Learned filters ================================================================================
def _trainer(s):
    """The trainer the tab draws (``panel.trainer`` would first bring it up to date with the state)."""
    return s.panel.driver.progress.trainer


@claim(r"[Aa]fter ([\d,]+) iterations|this was iteration (\d+)|starts as random numbers", {"learning"})
def _iterations(s, m):
    want = num(m.group(1) or m.group(2) or "0")
    assert _trainer(s).iteration == want, f"the tab shows iteration {_trainer(s).iteration}"


@claim(r"[Hh]ere the loss is ([\d,]+)", {"learning"})
def _loss(s, m):
    assert rounds_to(_trainer(s).loss, m.group(1)), f"it is {_trainer(s).loss}"


@claim(r"loss has fallen from ([\d,]+) to ([\d,]+)", {"learning"})
def _loss_curve(s, m):
    t = _trainer(s)
    assert rounds_to(t.history[0], m.group(1)) and rounds_to(t.loss, m.group(2)), (t.history[0], t.loss)


@claim(r"within (\d\.\d+) of the hidden", {"learning"})
def _converged(s, m):
    error = _trainer(s).kernel_error(PRESETS[s.state.target].kernel)
    assert rounds_to(error, m.group(1)), f"the largest difference is {error}"
