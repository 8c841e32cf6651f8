"""The panels docked under the text (Search Corpus, Coded Segments) share one place:
a panel added while another is there becomes a tab beside it. Side by side, their
filter rows together are wider than a laptop's screen, and the window would grow
past its edge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea


def dock_at_bottom(window: QMainWindow, dock: QDockWidget) -> None:
    """Add ``dock`` under the text, as a tab of a panel already docked there."""
    there = [
        other
        for other in window.findChildren(QDockWidget)
        if other is not dock
        and not other.isFloating()
        and other.isVisible()
        and window.dockWidgetArea(other) == BOTTOM
    ]
    window.addDockWidget(BOTTOM, dock)
    if there:
        window.tabifyDockWidget(there[0], dock)
