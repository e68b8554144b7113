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


def test_a_large_output_is_previewed_exactly_then_drawn_whole_and_hover_reads_exact_values(window, qtbot):
    """12-megapixel photos: every s-th output pixel first (drawn from the same float32 numbers as the whole
    output there), then the whole output in float32 for drawing; the status bar reads exact float64 values."""
    from ui_support import wait_output

    from convviz.model import filter_image
    from convviz.model.filter_output import PREVIEW_PIXELS

    rng = np.random.default_rng(5)
    img = rng.integers(0, 256, (1300, 1000, 3)).astype(np.float64)
    assert img.shape[0] * img.shape[1] > PREVIEW_PIXELS
    shown = []
    window.filter.runner.finished.connect(lambda result: shown.append(result))
    k = np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]) / 7.0
    window.document.apply(image=img, kernel=k, preset=None, padding="same")
    wait_output(qtbot, window, timeout=60000)
    previews = [r for r in shown if r.preview]
    whole = filter_image(img, k, padding="same")
    assert previews and previews[0].every == 2 and previews[0].full_hw == (1300, 1000)
    np.testing.assert_allclose(previews[0].values, whole[::2, ::2], rtol=1e-6, atol=1e-4)
    out = window.output
    assert not out.preview and out.values.dtype == np.float32 and out.values.shape == whole.shape
    np.testing.assert_array_equal(previews[0].values, out.values[::2, ::2])
    rect = window.output_view.rect
    window.filter._hovered((rect.x + 7.5, rect.y + 3.5))                  # output pixel (3, 7)
    text = window.output_readout.text()
    assert text.startswith("Output (row 3, col 7) = (")
    from convviz.model.filter_output import describe_exact
    assert describe_exact(tuple(float(v) for v in whole[3, 7])) in text


def test_while_a_preview_is_shown_its_title_says_so_and_hover_reads_exact_values(window, qtbot):
    from ui_support import wait_output

    from convviz.model import filter_image
    from convviz.model.filter_output import describe_exact

    img = np.random.default_rng(8).integers(0, 256, (1100, 1000)).astype(np.uint8)
    k = np.arange(9.0).reshape(3, 3) / 7 - 0.5        # nine taps on 1.1 MP: computed in the worker, previewed
    seen = []

    def preview_drawn(result):
        if result.preview:      # the panel drew it already (its slot was connected first)
            rect = window.output_view.rect
            window.filter._hovered((rect.x + 5.5, rect.y + 3.5))          # output pixel (3, 5): not a sampled one
            seen.append((window.output_view.full_title, window.output_readout.text()))

    window.filter.runner.finished.connect(preview_drawn)
    window.document.apply(image=img, kernel=k, preset=None, padding="same")
    wait_output(qtbot, window, timeout=60000)
    assert seen, "no preview was drawn"
    title, readout = seen[0]
    assert title == "Output 1000×1100 (preview: every 2nd pixel; computing the rest…)"
    assert readout == f"Output (row 3, col 5) = {describe_exact(filter_image(img, k, padding='same')[3, 5])}"


def test_an_edit_whose_whole_output_comes_soon_is_not_previewed_first(window, qtbot):
    """The first output of a new image is previewed; once its whole output is known to take a few
    milliseconds, a kernel edit is drawn whole at once (a preview would only delay it)."""
    from ui_support import wait_output

    from convviz.model.filter_output import WHOLE_WITHOUT_PREVIEW_S

    img = np.random.default_rng(9).integers(0, 256, (1100, 1000)).astype(np.uint8)
    shown = []
    window.filter.runner.finished.connect(lambda result: shown.append(result.preview))
    window.document.apply(image=img, kernel=np.arange(9.0).reshape(3, 3) - 4, preset=None, padding="same")
    wait_output(qtbot, window, timeout=60000)
    assert shown == [True, False]
    doc = window.document
    assert window.filter.whole_cost.expected(doc.image, doc.kernel, (1100, 1000)) <= WHOLE_WITHOUT_PREVIEW_S
    shown.clear()
    window.document.apply(kernel=np.arange(9.0).reshape(3, 3) - 3)
    wait_output(qtbot, window, timeout=60000)
    assert shown == [False] and not window.output.preview


def test_npy_export_of_a_large_output_is_exact_float64(window, qtbot, tmp_path):
    from ui_support import wait_output

    from convviz.model import filter_image

    rng = np.random.default_rng(6)
    img = rng.integers(0, 256, (1050, 1000)).astype(np.float64)
    k = np.array([[1.0, 0.0], [0.0, 1.0 / 3.0]])
    window.document.apply(image=img, kernel=k, preset=None, padding="valid")
    wait_output(qtbot, window, timeout=60000)
    assert window.output.values.dtype == np.float32
    assert window.export_output(tmp_path / "out.npy")
    saved = np.load(tmp_path / "out.npy", allow_pickle=False)
    assert saved.dtype == np.float64 and np.array_equal(saved, filter_image(img, k))


def test_a_large_jpeg_is_shown_reduced_at_once_then_whole(window, qtbot, tmp_path):
    """Opening a photo never decodes on the GUI thread; a reduced decode shows first, no number is read
    from it, and the document changes only when the whole image has been decoded."""
    from PIL import Image
    from ui_support import wait_output

    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (1200, 2400, 3), dtype=np.uint8)
    path = tmp_path / "phone.jpg"
    Image.fromarray(pixels).save(path, quality=90)
    before = window.document.image
    previews = []
    window.files.previewer.finished.connect(previews.append)
    window.open_image(path)
    assert window.loading and window.document.image is before       # returned at once, nothing changed yet
    qtbot.waitUntil(lambda: window.document.image.shape == (1200, 2400, 3), timeout=60000)
    wait_output(qtbot, window, timeout=60000)
    assert previews and previews[0] is not None and previews[0][2] == (1200, 2400)
    assert max(previews[0][1].shape[:2]) <= 1200                        # reduced, not the whole photo
    assert window.image_path == path.resolve() and not window.filter._input_preview
    window.filter._hovered((10.5, 3.5))
    assert window.input_readout.text().startswith("Input (row 3, col 10) = (")


def test_a_photo_sized_output_keeps_a_screens_worth_of_values_and_redraws_its_bytes_at_new_levels(
        window, qtbot, tmp_path):
    """Over 4 MP the output keeps every s-th float32 value (what the screen shows) and its whole bytes;
    other levels are drawn from those values at once and the whole bytes follow; hover, the pixel under
    the pointer and exports still address the whole output."""
    from PIL import Image
    from ui_support import wait_output

    from convviz.model import filter_image
    from convviz.model.colour import display_rgb
    from convviz.model.filter_output import describe_exact

    rng = np.random.default_rng(9)
    img = rng.integers(0, 256, (2100, 2050)).astype(np.uint8)
    k = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    window.document.apply(image=img, kernel=k, preset=None, padding="same")
    wait_output(qtbot, window, timeout=60000)
    out = window.output
    s = out.sample_step
    assert s == 2 and out.values_hw == (2100, 2050) and out.display.shape == (2100, 2050)
    whole = filter_image(img, k, padding="same")
    np.testing.assert_allclose(out.values, whole[::s, ::s], atol=1e-3)
    view = window.output_view
    assert view.pixel_at(2049.5, 2099.5) == (2099, 2049)            # the whole output's last pixel
    window.filter._hovered((1001.5, 1500.5))
    assert describe_exact(float(whole[1500, 1001])) in window.output_readout.text()
    jobs = []
    window.filter.runner.finished.connect(lambda r: jobs.append(r))
    window.colour_controls.set_manual_levels(-10.0, 10.0)
    assert tuple(view.image_item.levels) == (-10.0, 10.0)             # the kept values, at once
    qtbot.waitUntil(lambda: window.output.drawn_levels == (-10.0, 10.0), timeout=60000)
    assert jobs and not view.image_item.image.dtype == np.float32       # then the whole bytes at those levels
    np.testing.assert_array_equal(view.screen_image.source, window.output.display)
    assert window.export_output(tmp_path / "out.png")
    saved = np.asarray(Image.open(tmp_path / "out.png").convert("RGB")).astype(int)
    want = display_rgb(whole, colormap=window.output_colormap, levels=(-10.0, 10.0)).astype(int)
    assert saved.shape == want.shape and np.abs(saved - want).max() <= 1


def test_an_edit_costing_a_few_milliseconds_is_drawn_at_once_a_larger_one_in_the_worker(window, qtbot):
    from ui_support import wait_output

    from convviz.model import filter_image
    from convviz.model.filter_output import QUICK_TAP_PIXELS, is_quick

    small = np.random.default_rng(10).integers(0, 256, (600, 500)).astype(np.uint8)
    k = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    assert is_quick(small.shape, k, (600, 500)) and 600 * 500 * 5 <= QUICK_TAP_PIXELS
    window.document.apply(image=small, kernel=k, preset=None, padding="same")
    assert not window.computing                                  # drawn before apply returned
    assert window.output.values.shape == (600, 500) and window.output.source[1] is window.document.kernel
    np.testing.assert_allclose(window.output.values, filter_image(small, k, padding="same"), atol=1e-3)
    big = np.random.default_rng(11).integers(0, 256, (1200, 1100, 3)).astype(np.uint8)
    assert not is_quick(big.shape, k, (1200, 1100))
    window.document.apply(image=big)
    assert window.computing                                      # in the worker; the window stays live
    wait_output(qtbot, window, timeout=60000)
    assert window.output.values.shape[:2] == (1200, 1100)


def test_a_quick_edit_made_while_a_large_output_computes_wins(window, qtbot):
    """Newest wins across both paths: the worker's older, larger job is dropped when a quick one is drawn."""
    from convviz.model import filter_image

    big = np.random.default_rng(12).integers(0, 256, (1300, 1200, 3)).astype(np.uint8)
    window.document.apply(image=big, kernel=np.ones((3, 3)) / 9, preset=None, padding="same")
    assert window.computing
    shown = []
    window.filter.runner.finished.connect(lambda result: shown.append(result))
    small = np.random.default_rng(13).integers(0, 256, (300, 200)).astype(np.uint8)
    window.document.apply(image=small)                          # quick: drawn at once, the big job forgotten
    assert not window.computing and window.output.values.shape == (300, 200)
    qtbot.wait(1500)
    assert shown == [] and window.output.values.shape == (300, 200)
    np.testing.assert_allclose(window.output.values, filter_image(small, np.ones((3, 3)) / 9, padding="same"))


def test_exporting_a_large_output_from_the_menu_is_written_by_a_worker(window, qtbot, tmp_path, monkeypatch):
    """Export ▸ on a photo: the window stays live while the exact values are computed and written."""
    from ui_support import wait_output

    from convviz.model import filter_image

    img = np.random.default_rng(15).integers(0, 256, (1100, 1000)).astype(np.uint8)
    k = np.array([[1.0, 0.0], [0.0, 1.0 / 3.0]])
    window.document.apply(image=img, kernel=k, preset=None, padding="valid")
    wait_output(qtbot, window, timeout=60000)
    files = window.files
    assert files.export_output(tmp_path / "out.npy", background=True)
    assert "Exporting the output to out.npy" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: "Exported the output to out.npy" in window.statusBar().currentMessage(), timeout=30000)
    saved = np.load(tmp_path / "out.npy", allow_pickle=False)
    assert saved.dtype == np.float64 and np.array_equal(saved, filter_image(img, k))
    errors = []
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append((title, text)))
    assert files.export_output(tmp_path / "missing" / "out.png", background=True)
    qtbot.waitUntil(lambda: bool(errors), timeout=30000)
    assert errors[0][0] == "Cannot export output" and "out.png" in errors[0][1]
    assert not (tmp_path / "missing").exists()
