"""Before Qt opens a window on an X display: name the system libraries its xcb
platform plugin needs that are missing, instead of leaving the user with Qt's
abort, whose hint names only one of them (and, on Debian, the wrong package)."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping

# What `ldd` lists for Qt 6's xcb platform plugin beyond the libraries the app
# needs anyway, and the Debian/Ubuntu package of each.
XCB_LIBRARIES = {
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}


def uses_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """Whether Qt will open its window through xcb (Linux, an X display, no other
    platform asked for)."""
    if not platform.startswith("linux"):
        return False
    wanted = environ.get("QT_QPA_PLATFORM", "")
    if wanted:
        return wanted.split(":")[0] == "xcb"
    return bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def missing(libraries: Mapping[str, str] = XCB_LIBRARIES) -> dict[str, str]:
    """The libraries (soname → package) that cannot be loaded."""
    absent = {}
    for soname, package in libraries.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            absent[soname] = package
    return absent


def hint(absent: Mapping[str, str]) -> str:
    return (
        "annotator: the window needs system libraries that are missing: "
        f"{', '.join(absent)}.\n"
        f"On Debian or Ubuntu: apt-get install {' '.join(absent.values())}"
    )


def check_before_window() -> None:
    """Print the hint to stderr when a library the window needs is missing (Qt's
    own message follows when it stops). The bundle carries these libraries itself."""
    if uses_xcb(os.environ) and not getattr(sys, "frozen", False):
        absent = missing()
        if absent:
            print(hint(absent), file=sys.stderr)
