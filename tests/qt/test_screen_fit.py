"""The window fits the screen it opens on, and a restored geometry stays reachable."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from annotator.qt.common.screen_fit import fit_size, on_a_screen, restore_or_fit


def test_a_small_or_scaled_screen_gets_a_window_it_can_hold():
    # 1600×1000 at 150 %: 1066×666 logical pixels, less the task bar.
    available = QRect(0, 0, 1066, 634)
    size = fit_size(QSize(1280, 800), available)
    assert size.width() <= 1066 and size.height() <= 634
    # A large screen gets the preferred size.
    assert fit_size(QSize(1280, 800), QRect(0, 0, 2560, 1400)) == QSize(1280, 800)


def test_the_first_window_fits_the_available_screen(make_window):
    window = make_window(None)
    available = window.screen().availableGeometry()
    frame = window.frameGeometry()
    assert available.contains(window.geometry()), (available, window.geometry())
    assert frame.width() <= available.width() and frame.height() <= available.height()


def test_a_geometry_on_a_screen_that_is_gone_is_not_restored(qtbot):
    screen = QGuiApplication.primaryScreen().availableGeometry()
    away = QWidget()
    qtbot.addWidget(away)
    away.setGeometry(screen.right() + 3000, 200, 400, 300)  # a second screen, unplugged
    saved = away.saveGeometry()
    window = QWidget()
    qtbot.addWidget(window)
    restore_or_fit(window, QByteArray(saved), QSize(1280, 800))
    assert screen.contains(window.geometry()), window.geometry()
    assert not on_a_screen(QRect(screen.right() + 3000, 200, 400, 300))


def test_a_geometry_on_the_screen_is_restored(make_window):
    window = make_window(None)
    window.setGeometry(40, 60, 640, 500)
    window.close()  # saves the geometry
    again = make_window(None)
    assert (again.width(), again.height()) == (640, 500)
    # Where the frame goes is the platform's to round (the offscreen one: 2 pixels).
    assert abs(again.x() - 40) <= 4 and abs(again.y() - 60) <= 4
