"""Helper for test_crash_safety: add annotations one transaction at a time.

Run as ``python crash_writer.py PROJECT``. Opens the project, takes its first
document and loops for ever: ``add_annotation`` and, only after it has
returned (the commit is done), prints the new id and flushes stdout. A line on
stdout is therefore an acknowledged commit. The test kills this process with
SIGKILL at a random moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Make ``annotator`` importable when run from a checkout without installation.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from annotator.store.project import open_project  # noqa: E402


def main(path: str) -> None:
    project = open_project(path)
    doc = project.documents(counts=False)[0]
    text = project.document_text(doc.id)
    n = len(text)
    i = 0
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    while True:
        # Deterministic spans spread over the whole text (code points).
        start = (i * 7) % (n - 1)
        end = min(n, start + 1 + (i * 13) % 20)
        ann = project.add_annotation(doc.id, start, end, "actor", coder="Crash")
        out.write(ann.id + "\n")
        out.flush()
        i += 1


if __name__ == "__main__":
    main(sys.argv[1])
