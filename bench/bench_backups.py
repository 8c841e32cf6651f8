"""Backups on a study-sized project: what they cost in time and on disk.

    python bench/bench_backups.py [PROJECT]   (default: /tmp/study/study.annotator,
                                               the project bench_study.py --keep wrote)

Works on a copy of PROJECT in a temporary folder (the backups go there too) and
prints: open_project; the backup on opening when the file changed (a full copy)
and when it did not (the record of the last clean close); a delta after adding
100 annotations (time and bytes); restoring that delta; and the disk the backups
use after a simulated day (open, 10 periodic points with 100 annotations each
before them, close), against one full backup per point as before.
"""

from __future__ import annotations

from benchlib import isolated_folders

_folders = isolated_folders("annotator-bench-backups-")

import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TypeVar  # noqa: E402

from annotator.store.backups import folder_for, restore_backup  # noqa: E402
from annotator.store.project import Project, open_project  # noqa: E402

RUNS = 3
T = TypeVar("T")


def _ms(action: Callable[[], T]) -> tuple[float, T]:
    t0 = time.perf_counter()
    value = action()
    return (time.perf_counter() - t0) * 1000.0, value


def _add(project: Project, rng: random.Random, n: int) -> None:
    docs = project.documents(counts=False)
    for _ in range(n):
        doc = rng.choice(docs)
        start = rng.randrange(0, max(1, doc.char_count - 20))
        project.add_annotation(doc.id, start, start + 10, "actor", coder="Bench")


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/study/study.annotator")
    root = Path(_folders.name)
    path = root / "study.annotator"
    shutil.copyfile(source, path)
    size = path.stat().st_size
    rng = random.Random(15)
    rows: list[tuple[str, list[float], str]] = []

    opens = []
    for _ in range(RUNS):
        ms, opened = _ms(lambda: open_project(path))
        opens.append(ms)
        opened.close()
    rows.append(("open_project (changed: quick_check)", opens, "ms"))

    project = open_project(path)
    ms, full = _ms(lambda: project.backup("open"))
    full_bytes = full.path.stat().st_size
    rows.append(("backup on open, file changed (full)", [ms], "ms"))
    project.close()  # a clean close, nothing changed since: recorded
    held = []
    verified_opens = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        again = open_project(path)
        verified_opens.append((time.perf_counter() - t0) * 1000.0)
        t0 = time.perf_counter()
        backup = again.backups.held_on_open(again.backup_state())
        held.append((time.perf_counter() - t0) * 1000.0)
        assert backup is not None, "the record of the clean close was not found"
        again.close()
    rows.append(("backup on open, unchanged (skipped)", held, "ms"))
    rows.append(("open_project, unchanged since a verified close", verified_opens, "ms"))

    project = open_project(path)
    assert project.backups.held_on_open(project.backup_state()) is not None
    _add(project, rng, 100)
    ms, delta = _ms(lambda: project.backup("periodic"))
    assert delta.is_delta
    delta_bytes = delta.path.stat().st_size
    rows.append(("delta after 100 annotations", [ms], "ms"))
    target = root / "restored.annotator"
    target.write_bytes(b"")
    ms, _ = _ms(lambda: restore_backup(delta, target))
    rows.append(("restore of that delta", [ms], "ms"))
    project.close()

    # A simulated day: the file changed, so the open writes the run's full backup.
    folder = folder_for(path)
    shutil.rmtree(folder)
    project = open_project(path)
    _add(project, rng, 1)
    points = []
    ms, _ = _ms(lambda: project.backup("open"))
    points.append(ms)
    for _ in range(10):
        _add(project, rng, 100)
        ms, _ = _ms(lambda: project.backup("periodic"))
        points.append(ms)
    project.close()
    rows.append(("a day: open + 10 periodic points", points, "ms"))
    day = _folder_bytes(folder)

    print(f"project file: {size / 1e6:.0f} MB ({source})")
    print(f"\n{'measure':<48}{'runs':>5}{'min':>12}{'median':>12}")
    for name, values, unit in rows:
        print(
            f"{name:<48}{len(values):>5}{min(values):>9.1f} {unit}"
            f"{statistics.median(values):>9.1f} {unit}"
        )
    print(f"\nfull backup: {full_bytes / 1e6:.0f} MB")
    print(f"delta after 100 annotations: {delta_bytes / 1e6:.2f} MB")
    print(
        f"a day's backups on disk: {day / 1e6:.0f} MB "
        f"(one full copy per point, as before: {11 * size / 1e6:.0f} MB, "
        f"{min(11, 10) * size / 1e6:.0f} MB once rotated to the newest 10)"
    )


if __name__ == "__main__":
    main()
