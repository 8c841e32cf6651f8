"""Run QualCoder's own REFI-QDA project import, headless, on a ``.qdpx``.

Run by ``test_refi_qualcoder.py`` in an interpreter that has QualCoder's
dependencies (PyQt6), never in the test's own process (PySide6 and PyQt6 do not
share one process)::

    python qualcoder_refi_import.py QUALCODER_SRC PROJECT.qdpx WORK_FOLDER

It makes a fresh QualCoder project database with the tables QualCoder's own
``new_project`` creates (read from its source, not copied here), runs
``qualcoder.refi.RefiImport`` on the file with the file dialog answered and the
final message box closed, and writes what was imported as JSON to
``WORK_FOLDER/imported.json`` (QualCoder prints to stdout as it goes).
"""

from __future__ import annotations

import ast
import json
import os
import sqlite3
import sys
import types
from pathlib import Path


def create_tables(source: Path) -> list[str]:
    """The CREATE TABLE statements of QualCoder's ``new_project``."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "new_project":
            return [
                c.value
                for c in ast.walk(node)
                if isinstance(c, ast.Constant)
                and isinstance(c.value, str)
                and c.value.lstrip().upper().startswith("CREATE TABLE")
            ]
    raise SystemExit("QualCoder's new_project was not found")


def main() -> None:
    src, qdpx, work = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(src))
    try:
        import qualcoder.media_player_qt  # noqa: F401
    except ImportError:
        # Its audio and video player needs system sound libraries; the import of
        # text sources never uses it.
        stub = types.ModuleType("qualcoder.media_player_qt")
        stub.MediaInstance = object  # type: ignore[attr-defined]
        stub.make_vlc_instance = lambda *args, **kwargs: None  # type: ignore[attr-defined]
        sys.modules["qualcoder.media_player_qt"] = stub
    from PyQt6 import QtWidgets
    from qualcoder import refi

    application = QtWidgets.QApplication([])  # noqa: F841 (alive while the import runs)
    project_path = work / "project.qda"
    (project_path / "documents").mkdir(parents=True)
    conn = sqlite3.connect(project_path / "data.qda")
    for statement in create_tables(src / "qualcoder" / "__main__.py"):
        conn.execute(statement)
    conn.commit()
    app = types.SimpleNamespace(
        conn=conn,
        project_path=str(project_path),
        settings={"codername": "default", "directory": str(work), "ai_enable": "False"},
        ai_models=None,
        project_events=None,
        write_config_ini=lambda *args: None,
    )
    log: list[str] = []
    textedit = types.SimpleNamespace(append=log.append)

    class Message:
        def __init__(self, *args: object) -> None:
            log.append(" ".join(str(a) for a in args[1:]))

        def exec(self) -> int:
            return 0

    refi.Message = Message
    QtWidgets.QFileDialog.getOpenFileName = staticmethod(  # type: ignore[method-assign]
        lambda *args, **kwargs: (str(qdpx), "(*.qdpx *.QDPX)")
    )
    refi.RefiImport(app, textedit, "qdpx")

    def rows(sql: str) -> list[dict[str, object]]:
        cursor = conn.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    result = {
        "sources": rows("SELECT id, name, fulltext FROM source ORDER BY id"),
        "codes": rows("SELECT cid, name, catid, supercid, color FROM code_name ORDER BY cid"),
        "codings": rows(
            "SELECT cid, fid, seltext, pos0, pos1, owner, memo, date FROM code_text "
            "ORDER BY fid, pos0, pos1, cid"
        ),
        "attributes": rows("SELECT name, value, id FROM attribute ORDER BY id, name"),
        "log": log,
        "leftover": sorted(p.name for p in qdpx.parent.iterdir()),
    }
    (work / "imported.json").write_text(json.dumps(result, ensure_ascii=False), "utf-8")


if __name__ == "__main__":
    main()
