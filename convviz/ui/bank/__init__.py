"""The filter-bank panel: colour input, a bank of filters, their feature maps, chained layers.

:class:`~convviz.ui.bank.panel.BankPanel` is the tab the main window shows
(registered in :mod:`convviz.ui.panels`); the other modules are its parts.
"""
