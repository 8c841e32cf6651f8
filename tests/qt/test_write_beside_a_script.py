"""A script writing to the project beside the window: a key press waits its turn.

The script holds the write lock for a moment (its own connection, in a thread);
the coder's key press waits for it and is stored, instead of being refused as
"busy" at once.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from annotator.store.project import open_project

from .conftest import press, select_text

CLAIM = "cooperation among the U.S., Japan and South Korea will be more crucial than ever"


def _script(path, doc_id: str, holding: threading.Event, release: threading.Event) -> None:
    with open_project(path) as project:
        with project._transaction():
            project.add_annotation(doc_id, 0, 4, "actor", coder="Script")
            holding.set()
            release.wait(0.3)


def test_a_key_press_waits_for_a_script_and_is_stored(sample_window, qtbot, _no_modal_dialogs):
    window = sample_window
    select_text(window, CLAIM)
    doc_id = window.current.id
    holding, release = threading.Event(), threading.Event()
    script = threading.Thread(target=_script, args=(window.project.path, doc_id, holding, release))
    script.start()
    try:
        assert holding.wait(10)
        press(qtbot, window.view, Qt.Key.Key_2)
    finally:
        release.set()
        script.join(10)
    assert _no_modal_dialogs == []  # no "busy" message
    stored = {(a.coder, a.category) for a in window.project.annotations(doc_id)}
    assert stored == {("Script", "actor"), ("Ana", "claim")}
