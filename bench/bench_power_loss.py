"""A longer power-cut run than the suite's (tests/store/test_power_loss.py).

Adds annotations with the store's own code on the recording SQLite file layer
(tests/store/powerloss.py), in several sessions, one of which runs long enough
for SQLite's own automatic checkpoint (1000 pages) and one of which
checkpoints every few pages; then cuts the power at many random moments and
opens what each cut leaves with ``open_project``. Prints how many cuts lost or
damaged anything and exits 1 if any did.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_power_loss.py [CUTS] [SEED]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.store.errors import ProjectError  # noqa: E402
from annotator.store.project import create_project, open_project  # noqa: E402
from tests.store.powerloss import RecordingVFS, acknowledged, crash_image  # noqa: E402

TEXT = "Putin met Kim 👍🏽 in Pyongyang.\n소아쌤 said: “no deal”.\n" * 40
# (adds, wal_autocheckpoint or None for SQLite's default)
SESSIONS = [(40, None), (260, None), (60, 8), (30, None)]


def main(cuts: int, seed: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["ANNOTATOR_DATA_DIR"] = str(root / "data")
        os.environ["ANNOTATOR_CONFIG_DIR"] = str(root / "config")
        path = root / "work" / "power.annotator"
        with create_project(path) as project:
            doc_id = project.import_text(TEXT, title="Power").id
        vfs = RecordingVFS()
        vfs.install()
        started = time.perf_counter()
        n = 0
        try:
            for adds, autocheckpoint in SESSIONS:
                with open_project(path) as project:
                    if autocheckpoint is not None:
                        project.db.execute(f"PRAGMA wal_autocheckpoint = {autocheckpoint}")
                    for _ in range(adds):
                        start = n * 7 % (len(TEXT) - 30)
                        ann = project.add_annotation(
                            doc_id, start, start + 1 + n % 23, "actor", coder="P"
                        )
                        vfs.mark(ann.id)
                        n += 1
        finally:
            vfs.uninstall()
        events = vfs.events
        kinds = [event[0] for event in events]
        checkpoints = sum(1 for e in events if e[0] == "sync" and e[1] == str(path))
        print(
            f"recorded {n} adds in {time.perf_counter() - started:.1f} s: {len(events)} events, "
            f"{kinds.count('write')} writes, {kinds.count('sync')} syncs, "
            f"{checkpoints} of them of the project file (checkpoints)"
        )

        rng = random.Random(seed)
        after_marks = [i + 1 for i, kind in enumerate(kinds) if kind == "mark"]
        bad = 0
        started = time.perf_counter()
        for cut in range(cuts):
            upto = rng.choice(after_marks) if cut % 2 else rng.randint(1, len(events))
            folder = root / f"cut{cut}"
            try:
                crash_image(events, upto, rng, folder)
                with open_project(folder / path.name) as project:
                    check = project.db.execute("PRAGMA integrity_check").fetchall()
                    rows = {
                        ident: quote == TEXT[start:end]
                        for ident, start, end, quote in project.db.execute(
                            'SELECT id, start, "end", quote FROM annotations'
                        ).fetchall()
                    }
                lost = [i for i in acknowledged(events, upto) if not rows.get(i)]
                problem = f"lost {len(lost)}" if lost else ("" if check == [("ok",)] else check)
            except ProjectError as exc:
                problem = str(exc)
            if problem:
                bad += 1
                print(f"cut {cut} after event {upto}: {problem}")
            for file in folder.iterdir():
                file.unlink()
            folder.rmdir()
        print(
            f"{cuts} cuts in {time.perf_counter() - started:.1f} s (seed {seed}): "
            f"{bad} lost or damaged something"
        )
        return 1 if bad else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(int(args[0]) if args else 2000, int(args[1]) if len(args) > 1 else 1))
