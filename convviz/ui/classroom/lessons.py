"""The lesson controller (which slide is showing, applying it) and the navigator bar
(title, caption, ◀ 3 / 12 ▶)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from convviz.io.lesson_state import changes_at, document_at, panel_at, settings_at
from convviz.io.lessons import Lesson, load_lesson
from convviz.io.slide_images import IMAGE_CACHE, SlideImage, check_image_header

from ..worker import LatestResultRunner

#: a slide image with more pixels than this is decoded in the background before its slide is shown
DECODE_IN_WORKER_PIXELS = 1_000_000


class LessonController(QObject):
    """Opens a lesson and shows its slides on a host (see :class:`~.host.WindowHost`).

    Showing slide ``i`` applies the document state of slides ``1..i`` at once (one undoable
    change), switches to the slide's panel and hands that panel its settings through
    ``apply_lesson_settings(dict)`` when it has that method.
    """

    lesson_changed = Signal(object)   # the Lesson, or None when closed
    slide_changed = Signal(int)       # 0-based index
    problem = Signal(str)             # a slide that could not be shown fully, in words

    def __init__(self, host, parent: QObject | None = None):
        super().__init__(parent)
        self.host = host
        self._lesson: Lesson | None = None
        self._index = 0
        self._decoding: tuple[Lesson, int] | None = None      # the slide whose photo the worker decodes
        self.decoder = LatestResultRunner(self)
        self.decoder.finished.connect(self._decoded)
        self.decoder.failed.connect(self._decode_failed)

    @property
    def lesson(self) -> Lesson | None:
        return self._lesson

    @property
    def index(self) -> int:
        return self._index

    def count(self) -> int:
        return len(self._lesson.slides) if self._lesson else 0

    def open(self, name_or_path, slide: int = 0) -> Lesson:
        """Load and show a lesson; :class:`~convviz.io.lessons.LessonFileError` leaves everything as it was."""
        lesson = load_lesson(name_or_path)
        self._lesson = lesson
        self._index = 0   # listeners read the index with the new lesson; the old one may be past its end
        self.lesson_changed.emit(lesson)
        self.go(min(max(int(slide), 0), len(lesson.slides) - 1))
        return lesson

    def attach(self, lesson: Lesson, index: int) -> None:
        """Take up ``lesson`` at slide ``index`` without applying it (a restored session already shows it)."""
        self._lesson = lesson
        self._index = min(max(int(index), 0), len(lesson.slides) - 1)
        self.lesson_changed.emit(lesson)
        self.slide_changed.emit(self._index)

    def close(self) -> None:
        if self._lesson is not None:
            self._lesson = None
            self._index = 0
            self.lesson_changed.emit(None)

    def go(self, index: int) -> bool:
        """Show slide ``index`` (0-based); False when there is no such slide."""
        if self._lesson is None or not 0 <= index < len(self._lesson.slides):
            return False
        lesson = self._lesson
        self._decoding = None
        if self._decode_first(lesson, index):
            return True
        try:
            self.host.apply_document(document_at(lesson, index))
        except ValueError as exc:  # a slide that does not fit the current state; the file was checked on load
            self.problem.emit(f"Slide {index + 1} could not be set up: {exc}")
            return False
        self._index = index
        panel = panel_at(lesson, index)
        if panel:
            self.host.show_panel(panel)
            settings = settings_at(lesson, index, panel)
            if settings:
                try:
                    self.host.apply_panel_settings(panel, settings)
                except (ValueError, TypeError, KeyError) as exc:  # settings are the panel's to check
                    self.problem.emit(f"Slide {index + 1}: the {panel} panel's settings were not applied ({exc})")
        self.slide_changed.emit(index)
        return True

    def _decode_first(self, lesson: Lesson, index: int) -> bool:
        """True when slide ``index`` shows a photo not decoded yet: it is decoded in the worker and the
        slide shown when it is ready (a newer slide change wins); the window stays live meanwhile."""
        try:
            image = changes_at(lesson, index).get("image")
            if not isinstance(image, SlideImage) or IMAGE_CACHE.holds(image.path):
                return False
            width, height = check_image_header(image.path)
        except ValueError:
            return False            # document_at reports it in words
        if width * height <= DECODE_IN_WORKER_PIXELS:
            return False
        self._decoding = (lesson, index)
        self.decoder.submit(image.load)
        return True

    def _decoded(self, _pixels) -> None:
        """The photo of the slide asked for is in the cache (held by ``_pixels`` until shown): show it."""
        if self._decoding is not None and self._decoding[0] is self._lesson:
            self.go(self._decoding[1])

    def _decode_failed(self, message: str) -> None:
        if self._decoding is not None:
            index = self._decoding[1]
            self._decoding = None
            self.problem.emit(f"Slide {index + 1} could not be set up: {message}")

    @property
    def decoding(self) -> bool:
        """True while a slide's photo is being decoded before the slide is shown."""
        return self._decoding is not None

    def next(self) -> bool:
        return self.go(self._index + 1)

    def previous(self) -> bool:
        return self.go(self._index - 1)

    def first(self) -> bool:
        return self.go(0)

    def last(self) -> bool:
        return self.go(self.count() - 1)

    def position(self) -> dict | None:
        """``{"source": name or file, "slide": n}`` (1-based) for session files."""
        if self._lesson is None:
            return None
        return {"source": self._lesson.source, "slide": self._index + 1}


def _button(text: str, name: str, tip: str) -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setObjectName(name)
    b.setAccessibleName(tip)
    b.setToolTip(tip)
    b.setAutoRaise(True)
    b.setMinimumSize(40, 32)
    return b


class LessonNavigator(QWidget):
    """The lesson bar: slide title and caption, and ◀ n / N ▶ buttons."""

    def __init__(self, controller: LessonController, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("lessonNavigator")
        self.setAccessibleName("Lesson navigator")

        self.lesson_title = QLabel()
        self.lesson_title.setObjectName("lessonTitle")
        self.lesson_title.setAccessibleName("Lesson title")
        self.slide_title = QLabel()
        self.slide_title.setObjectName("slideTitle")
        self.slide_title.setAccessibleName("Slide title")
        self.caption = QLabel()
        self.caption.setObjectName("slideCaption")
        self.caption.setAccessibleName("Slide caption")
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        self.prev_button = _button("◀", "previousSlideButton", "Previous slide (Page Up)")
        self.next_button = _button("▶", "nextSlideButton", "Next slide (Page Down)")
        self.counter = QLabel()
        self.counter.setObjectName("slideCounter")
        self.counter.setAccessibleName("Slide number")
        self.counter.setToolTip("Which slide of the lesson is showing")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.counter.setMinimumWidth(70)
        self.close_button = _button("✕", "closeLessonButton", "Close the lesson")

        text = QVBoxLayout()
        heading = QHBoxLayout()
        heading.addWidget(self.slide_title)
        heading.addStretch(1)
        heading.addWidget(self.lesson_title)
        text.addLayout(heading)
        text.addWidget(self.caption)
        nav = QHBoxLayout()
        nav.addWidget(self.prev_button)
        nav.addWidget(self.counter)
        nav.addWidget(self.next_button)
        nav.addWidget(self.close_button)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addLayout(text, 1)
        row.addLayout(nav)

        self.prev_button.clicked.connect(controller.previous)
        self.next_button.clicked.connect(controller.next)
        self.close_button.clicked.connect(controller.close)
        controller.lesson_changed.connect(self._refresh)
        controller.slide_changed.connect(self._refresh)
        self._update_fonts()
        self._refresh()

    def event(self, event):
        if event.type() in (QEvent.Type.ApplicationFontChange, QEvent.Type.FontChange):
            self._update_fonts()
        return super().event(event)

    def _update_fonts(self):
        """Title and caption a little larger than the application font (which presentation mode scales)."""
        base = QApplication.font()
        for label, factor, bold in ((self.slide_title, 1.25, True), (self.caption, 1.15, False)):
            font = QFont(base)
            if base.pointSizeF() > 0:
                font.setPointSizeF(base.pointSizeF() * factor)
            font.setBold(bold)
            label.setFont(font)
        # room for three lines of caption, so a dock never cuts the text off
        self.caption.setMinimumHeight(self.caption.fontMetrics().lineSpacing() * 3 + 4)

    def _refresh(self, *_):
        c = self.controller
        lesson = c.lesson
        if lesson is None:
            for label in (self.lesson_title, self.slide_title, self.caption, self.counter):
                label.clear()
            self.prev_button.setEnabled(False)
            self.next_button.setEnabled(False)
            return
        slide = lesson.slides[c.index]
        self.lesson_title.setText(lesson.title)
        self.slide_title.setText(slide.title or f"Slide {c.index + 1}")
        self.caption.setText(slide.caption)
        self.counter.setText(f"{c.index + 1} / {c.count()}")
        self.prev_button.setEnabled(c.index > 0)
        self.next_button.setEnabled(c.index < c.count() - 1)
