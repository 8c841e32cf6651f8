"""Windows that fit the screen they open on.

A first window takes its preferred size only where the screen has room for it (a
1366×768 laptop, a 1600×1000 screen at 150 % scaling), and a geometry restored
from the settings is kept only while it still lies on a screen that exists.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QCursor, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

# Room left for the window frame and title bar, which the geometry does not include.
FRAME_MARGIN = QSize(16, 48)
# Of a restored window, at least this much must lie on a screen for it to be reachable.
VISIBLE_PART = QSize(160, 80)


def screen_for_new_window() -> QScreen | None:
    """The screen under the mouse pointer, else the primary one."""
    return QGuiApplication.screenAt(QCursor.pos()) or QGuiApplication.primaryScreen()


def fit_size(preferred: QSize, available: QRect) -> QSize:
    """``preferred``, shrunk to fit ``available`` with room for the frame."""
    room = available.size() - FRAME_MARGIN
    return QSize(
        max(1, min(preferred.width(), room.width())), max(1, min(preferred.height(), room.height()))
    )


def fit_to_screen(window: QWidget, preferred: QSize) -> None:
    """Give ``window`` its preferred size, or as much as the screen has room for,
    centred on that screen's available area (without the task bar or dock)."""
    screen = screen_for_new_window()
    if screen is None:
        window.resize(preferred)
        return
    available = screen.availableGeometry()
    size = fit_size(preferred, available)
    window.resize(size)
    top_left = available.center() - QRect(0, 0, size.width(), size.height()).center()
    window.move(top_left)


def on_a_screen(geometry: QRect) -> bool:
    """Whether enough of ``geometry`` (its top part, where the title bar is) lies on a
    screen that exists, and it is no larger than that screen's available area."""
    for screen in QGuiApplication.screens():
        available = screen.availableGeometry()
        top = QRect(geometry.topLeft(), QSize(geometry.width(), VISIBLE_PART.height()))
        part = available.intersected(top)
        if (
            part.width() >= min(VISIBLE_PART.width(), geometry.width())
            and part.height() >= min(VISIBLE_PART.height(), geometry.height())
            and geometry.width() <= available.width()
            and geometry.height() <= available.height()
        ):
            return True
    return False


def restore_or_fit(window: QWidget, state: QByteArray | None, preferred: QSize) -> None:
    """Restore a saved geometry (``QWidget.saveGeometry``) if it is still on a screen;
    otherwise (none saved, a screen unplugged, a smaller screen) fit the window anew."""
    if state is not None and window.restoreGeometry(state):
        if window.isMaximized() or on_a_screen(window.frameGeometry()):
            return
    fit_to_screen(window, preferred)
