"""Render the main window offscreen to a PNG for the README.

    .venv/bin/python packaging/screenshot.py packaging/screenshot.png

Uses a throw-away data folder, the sample project and a few real codes.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_tmp = tempfile.mkdtemp()
os.environ["ANNOTATOR_DATA_DIR"] = str(Path(_tmp) / "data")
os.environ["ANNOTATOR_CONFIG_DIR"] = str(Path(_tmp) / "config")

from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.app import build_window  # noqa: E402
from annotator.core.codebook import Value  # noqa: E402
from annotator.ops import values  # noqa: E402
from annotator.qt.common.settings import AppSettings  # noqa: E402

CODES = [
    ("South Korea", "actor"),
    ("sharply criticized", "stance"),
    ("Japan", "actor"),
    ("Russia", "actor"),
    ("North Korea", "actor"),
]


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication([])
    window = build_window(None, "Ana", AppSettings(Path(_tmp) / "settings.ini"))
    window.show()  # at the size the screen allows, then larger, as a user would
    window.resize(1400, 820)
    app.processEvents()
    window.doc_table.selectRow(1)
    text = window.view.text
    claim_start = text.index("Asian fears")
    window.view.select_span(claim_start, text.index("threat", claim_start) + len("threat"))
    window.coding.tag_selection("claim")
    for needle, category in CODES:
        start = text.index(needle)
        window.view.select_span(start, start + len(needle))
        window.coding.tag_selection(category)
    project = window.project
    codebook = project.codebook()
    anns = {a.quote: a for a in project.annotations(window.current.id)}
    korea = project.add_actor(
        "Government of South Korea",
        type="government",
        country="KR",
        aliases=["South Korea", "Seoul"],
    )
    registry_attr = codebook.attribute("actor", "actor")
    claimant = codebook.attribute("claim", "claimant")
    polarity = codebook.attribute("stance", "polarity")
    holder = codebook.attribute("stance", "holder")
    target = codebook.attribute("stance", "target")
    claim = next(a for a in anns.values() if a.category == "claim")
    stance = anns["sharply criticized"]
    mention = anns["South Korea"]
    for ann, value in (
        (mention, Value(registry_attr.id, actor_id=korea.id)),
        (claim, Value(claimant.id, annotation_id=anns["North Korea"].id)),
        (stance, Value(polarity.id, choice_id=polarity.choices[1].id)),
        (stance, Value(holder.id, annotation_id=mention.id)),
        (stance, Value(target.id, annotation_id=claim.id)),
    ):
        window.panel.session.run(
            "set a value", lambda p, ann=ann, value=value: values.set_value(p, ann.id, value)
        )
    window.coding.select_annotation(claim.id)  # framed at the top of the text
    cursor = window.view.textCursor()
    cursor.clearSelection()
    window.view.setTextCursor(cursor)
    window.view.verticalScrollBar().setValue(0)
    app.processEvents()
    window.grab().save(str(out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "packaging/screenshot.png"))
