"""The Filter tab's output scale: on the input's 0–255 by default, switchable, undoable (issue #12)."""

import numpy as np

from convviz.model import PRESETS


def test_identity_shows_the_picture_unchanged_and_scale_is_an_undoable_setting(window, qtbot):
    from ui_support import wait_output

    img = np.full((40, 40), 30.0)
    img[10:30, 10:30] = 230.0
    window.document.apply(image=img, kernel=PRESETS["identity"].kernel, preset="identity", padding="same")
    wait_output(qtbot, window)
    assert window.output_levels == (0.0, 255.0)                    # 230 is drawn as 230, not as white
    rgb = window.displayed_output_rgb()
    assert rgb[20, 20, 0] == 230 and rgb[0, 0, 0] == 30

    box = window.colour_controls.scale_box
    box.setCurrentIndex(box.findData("full"))
    qtbot.waitUntil(lambda: window.output_levels == (0.0, 230.0), timeout=10000)
    assert window.filter.state.scale == "full"
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.output_levels == (0.0, 255.0), timeout=10000)
    assert box.currentData() == "auto"
