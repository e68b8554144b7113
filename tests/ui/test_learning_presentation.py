"""The Learned filters tab on a projector (issue #12): editing chrome hidden, the lecture buttons and
phase chips wrap, the words capped on a short panel, the heat maps' numbers the model's and large
enough to read, plot titles that fit; while learning diverges the prediction drawn is the kernel
drawn's, at every phase."""

from __future__ import annotations

import numpy as np
import pytest
from ui_support import app_font

from convviz.model import correlate, format_number
from convviz.ui.widgets.chrome import is_editing_chrome


def test_editing_chrome_is_marked_and_the_buttons_wrap(learning_panel, qtbot, qapp):
    panel = learning_panel
    c = panel.controls
    assert is_editing_chrome(c.problem_row) and is_editing_chrome(c.rate_row) and is_editing_chrome(panel.info_label)
    assert not any(is_editing_chrome(b) for b in (panel.phase_button, panel.step_button, panel.run_button,
                                                   panel.reset_button))
    buttons = (panel.phase_button, panel.step_button, panel.run_button, panel.reset_button)
    assert len({b.y() for b in buttons}) == 1                          # one row at 1200 px
    with app_font(factor=2):                                           # ×2: the buttons need ~850 px
        panel.resize(640, 1200)
        qtbot.waitUntil(lambda: len({b.y() for b in buttons}) > 1)   # wrapped, not pushed off the side
        assert panel.minimumSizeHint().width() <= 640
        for widget in (*buttons, *panel.phase_chips):
            right = widget.mapTo(panel, widget.rect().topRight()).x()
            assert right <= panel.width(), widget.objectName()


def test_heat_map_numbers_are_the_models_and_grow_with_their_cells(learning_panel, qtbot):
    panel = learning_panel
    panel.step_iteration()            # a gradient too
    kernel, gradient = panel.trainer.kernel, panel.trainer.gradient
    assert panel.kernel_view.cell_texts() == [[format_number(v, 3) for v in row] for row in kernel]
    assert panel.gradient_view.cell_texts() == [[format_number(v, 3) for v in row] for row in gradient]
    small = panel.kernel_view.number_pixels()
    panel.resize(1800, 1400)
    qtbot.waitUntil(lambda: panel.kernel_view.number_pixels() > small)
    view = panel.kernel_view
    widest = max(view.fontMetrics().horizontalAdvance(t) for row in view.cell_texts() for t in row)
    assert view.number_pixels() >= 14 and widest <= view.cell_side() * 1.5


def test_a_short_panel_with_presentation_fonts_caps_its_words(learning_panel, qtbot, qapp):
    panel = learning_panel
    with app_font(factor=3):
        panel.resize(1000, 700)
        qtbot.waitUntil(lambda: panel.phase_label.fontInfo().pixelSize() <= 1.25 * 700 / 30 + 1)
        assert panel.run_button.fontInfo().pixelSize() <= 700 / 30 + 1
        assert panel.kernel_view.number_pixels() >= 12                 # readable from the back
        for view in (panel.target_view, panel.prediction_view, panel.loss_plot):
            plot = view.getPlotItem() if hasattr(view, "getPlotItem") else view.plot
            title = plot.titleLabel.item.mapRectToScene(plot.titleLabel.item.boundingRect())
            assert title.right() <= view.width() + 1 and title.left() >= -1, view.objectName()


def test_while_diverging_every_phase_draws_the_prediction_of_the_kernel_drawn(learning_panel):
    panel = learning_panel
    limit = panel.trainer.advice.limit
    panel.set_rate(1.5 * limit)
    seen = 0
    for _ in range(5 * 8):
        panel.next_phase()
        t = panel.trainer
        shown = panel.prediction_view.values
        if shown is None:
            continue
        want = correlate(t.image, panel.kernel_view.values(), t.padding)
        np.testing.assert_allclose(shown, want, rtol=1e-9, atol=1e-9 * float(np.abs(want).max()))
        seen += 1
    assert panel.trainer.diverged and seen >= 30
    assert panel.prediction_view.title() == "Prediction (learned kernel)"


@pytest.mark.parametrize("title", ["Target feature map", "Prediction (learned kernel)"])
def test_plot_titles_shrink_to_their_view(learning_panel, qtbot, title):
    view = learning_panel.target_view if title.startswith("Target") else learning_panel.prediction_view
    learning_panel.next_phase()
    view.setFixedWidth(130)
    qtbot.waitUntil(lambda: view.plot.titleLabel.item.boundingRect().width() <= 130)
