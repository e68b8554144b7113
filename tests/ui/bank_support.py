"""Helper of the Filter bank tab's UI tests (not a test module)."""

from __future__ import annotations

from convviz.ui.bank.panel import BankPanel


def shown_bank_panel(qtbot, doc, size: tuple[int, int] = (1200, 800)) -> BankPanel:
    """A :class:`BankPanel` on ``doc``, closed by ``qtbot`` after the test, at ``size`` (width, height) and shown."""
    p = BankPanel(doc)
    qtbot.addWidget(p)
    p.resize(*size)
    p.show()
    return p
