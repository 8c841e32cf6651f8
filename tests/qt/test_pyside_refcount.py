"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a
method that returns nothing, and the interpreter aborts (none_dealloc) after a
few thousand calls. The dependency pins exclude that pair; this proves it."""

import sys

from PySide6.QtGui import QTextCursor, QTextDocument


def test_void_methods_do_not_leak_references_to_none(qapp):
    document = QTextDocument("x" * 100)
    cursor = QTextCursor(document)
    before = sys.getrefcount(None)
    for i in range(20_000):
        cursor.setPosition(i % 100)
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references"
