"""Render the app icon from its one source, ``resources/icons/annotator.svg``.

Writes into ``resources/icons/``: ``annotator.ico`` (Windows, 16–256 px),
``annotator.icns`` (macOS, 16–1024 px) and ``annotator-<N>.png`` (Linux and the
window icon, N = 16 … 512). The outputs are committed, so building a bundle needs
neither this script nor Pillow; run it again after changing the SVG::

    .venv/bin/pip install -e ".[packaging]"
    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

Qt (already a dependency) rasterises the SVG at each size; Pillow writes the
``.ico`` and ``.icns`` containers.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SOURCE = ICONS / "annotator.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(svg: Path, size: int) -> bytes:
    """The SVG rasterised to a ``size``×``size`` PNG (antialiased, transparent)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def make_icons(svg: Path = SOURCE, out: Path = ICONS) -> list[Path]:
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES))
    images = {size: Image.open(io.BytesIO(render(svg, size))).convert("RGBA") for size in sizes}
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for size in PNG_SIZES:
        path = out / f"annotator-{size}.png"
        images[size].save(path, optimize=True)
        written.append(path)
    ico = out / "annotator.ico"
    largest = max(ICO_SIZES)
    images[largest].save(
        ico,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != largest],
    )
    written.append(ico)
    icns = out / "annotator.icns"
    largest = max(ICNS_SIZES)
    images[largest].save(
        icns, format="ICNS", append_images=[images[s] for s in ICNS_SIZES if s != largest]
    )
    written.append(icns)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="the SVG to render")
    parser.add_argument("--out", type=Path, default=ICONS, help="folder to write the icons to")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in make_icons(args.source, args.out):
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
            f"{path.stat().st_size:,} bytes"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
