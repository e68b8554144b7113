"""How the Filter tab shares its space: the images side by side or stacked (whichever shows them
larger), the controls column as wide as the kernel's cells need, the magnifier's strip, and the
changes presentation mode asks for. A mixin of :class:`~convviz.ui.filter.panel.FilterPanel`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer


class FilterLayout:
    """Layout methods; the panel provides the splitters, views, column, magnifier and ``output``."""

    # -- layout: the images as large as the space allows ---------------------------------------
    def best_orientation(self) -> Qt.Orientation:
        """Side by side or one above the other, whichever shows the padded image larger in the space
        the two views have (a wide photo on a 1280×800 projector fills its view stacked, not side by side)."""
        area = self.view_splitter.size()
        p = self.input_view.padded
        if p.width <= 0 or p.height <= 0 or area.width() <= 0 or area.height() <= 0:
            return Qt.Orientation.Horizontal
        # each view spends some of its size on its title, axes and colour bar (a lot at presentation fonts)
        box = self.input_view.view_box.size()
        extra_w = max(0.0, self.input_view.width() - box.width())
        extra_h = max(0.0, self.input_view.height() - box.height())
        w, h = area.width(), area.height()
        side_by_side = min(max(w / 2 - extra_w, 1) / p.width, max(h - extra_h, 1) / p.height)
        stacked = min(max(w - extra_w, 1) / p.width, max(h / 2 - extra_h, 1) / p.height)
        return Qt.Orientation.Vertical if stacked > 1.15 * side_by_side else Qt.Orientation.Horizontal

    def _arrange_views(self) -> None:
        orientation = self.best_orientation()
        if orientation != self.view_splitter.orientation():
            self.view_splitter.setOrientation(orientation)
            n = self.view_splitter.width() if orientation == Qt.Orientation.Horizontal else self.view_splitter.height()
            self.view_splitter.setSizes([n // 2, n - n // 2])
            self.input_view.fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if getattr(self, "_presenting", False):    # e.g. the window clamped to a small projector's screen
            QTimer.singleShot(0, self, self._fit_controls_column)
        self._arrange_views()
        if self.output is not None:
            self.input_view.fit()

    def presentation_changed(self, on: bool) -> None:
        """Presentation mode hid (or showed) the editing controls: give the column the width it needs
        now and the rest to the images (after the layout has caught up); again whenever its font scale
        changes while presenting."""
        self._presenting = on
        QTimer.singleShot(0, self, self._fit_controls_column)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and getattr(self, "_presenting", False):
            QTimer.singleShot(0, self, self._fit_controls_column)

    def _fit_controls_column(self) -> None:
        column = self.controls_scroll.widget()
        column.adjustSize()
        total = sum(self.filter_splitter.sizes())
        # the kernel's cells whole where the screen allows (half of it at most), the images the rest
        table = self.kernel_editor.table
        needed = max(column.minimumSizeHint().width(), table.horizontalHeader().length()
                     + table.verticalHeader().width() + 2 * table.frameWidth() + 24) + 24
        side = min(needed, int(0.5 * total))
        self.controls_scroll.setMinimumWidth(min(side, 420))
        self.filter_splitter.setSizes([max(total - side, 0), side])
        self._fit_magnifier()
        self._arrange_views()
        self.input_view.fit()

    def _fit_magnifier(self) -> None:
        """The magnifier's strip as high as its (possibly scaled) font needs but at most 30 % of the height
        (its words scroll on a small screen), the images the rest."""
        total = self.view_area.height()
        if not self.view_area.isVisible() or total <= 0:   # not laid out yet: done when first shown
            return
        self._magnifier_fitted = True
        strip = min(self.magnifier.sizeHint().height(), int(0.3 * total))
        self.view_area.setSizes([total - strip, strip])

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not getattr(self, "_magnifier_fitted", False):
            QTimer.singleShot(0, self, self._fit_magnifier)

    def default_splits(self, width: int) -> None:
        side = max(self.controls_scroll.minimumWidth(), 400)
        self.filter_splitter.setSizes([width - side, side])
        half = (width - side) // 2
        self.view_splitter.setSizes([half, half])
        self._fit_magnifier()
