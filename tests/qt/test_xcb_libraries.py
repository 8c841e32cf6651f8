"""A window on an X display: missing xcb libraries are named, with their
packages, before Qt stops."""

import os
import subprocess
import sys

from annotator.qt.common import xcb_libraries
from annotator.qt.common.xcb_libraries import hint, missing, uses_xcb


def test_xcb_is_used_on_linux_with_an_x_display_unless_another_platform_is_asked():
    assert uses_xcb({"DISPLAY": ":0"}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not uses_xcb({}, "linux")
    assert not uses_xcb({"DISPLAY": ":0"}, "darwin")


def test_a_library_that_cannot_be_loaded_is_named_with_its_package():
    absent = missing({"libc.so.6": "libc6", "libnot-a-library-here.so.0": "not-a-package"})
    assert absent == {"libnot-a-library-here.so.0": "not-a-package"}
    assert hint(absent) == (
        "annotator: the window needs system libraries that are missing: "
        "libnot-a-library-here.so.0.\nOn Debian or Ubuntu: apt-get install not-a-package"
    )
    assert set(xcb_libraries.XCB_LIBRARIES.values()) >= {"libxcb-cursor0", "libxcb-icccm4"}


SCRIPT = """
from annotator.qt.common import xcb_libraries
xcb_libraries.XCB_LIBRARIES["libnot-a-library-here.so.0"] = "not-a-package"
from annotator.app import run_gui
run_gui(None, coder="Ana")
"""


def test_the_hint_comes_before_qt_stops(tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": ":987",  # no X server there: Qt stops after the hint
        "ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
        "ANNOTATOR_CONFIG_DIR": str(tmp_path / "config"),
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode != 0
    # The machine may lack some of Qt's own xcb libraries too: their packages
    # share the line.
    install = [line for line in done.stderr.splitlines() if "apt-get install" in line]
    assert len(install) == 1
    assert "not-a-package" in install[0].split("apt-get install", 1)[1].split()
    assert done.stderr.index("not-a-package") < done.stderr.index("qt.qpa")
