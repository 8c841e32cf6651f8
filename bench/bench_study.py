"""Benchmark: a study-sized project (500 documents of ~10,000 characters, 500,000
annotations with values and registry links, 4 coders) stays fluent. Prints the
figures beside the targets; never fails on them.

Run from the repository root:  .venv/bin/python bench/bench_study.py
``--keep PATH`` also copies the built project (before anything is measured) to PATH,
for profiling one part at a time.
"""

from __future__ import annotations

from benchlib import filled_attribute_ids, isolated_folders, machine, seeded_id, sentences

# Before anything imports Qt or reads the user's folders.
_TMP = isolated_folders("annotator-bench-study-", offscreen=True)

import gc  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import PySide6  # noqa: E402
from PySide6.QtCore import Qt, qVersion  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from qtbench import activate, settle, timed  # noqa: E402

from annotator.core.codebook import Attribute  # noqa: E402
from annotator.qt.common import dialogs  # noqa: E402
from annotator.qt.common.settings import AppSettings  # noqa: E402
from annotator.qt.main_window import MainWindow  # noqa: E402
from annotator.store.project import Project, create_project, open_project  # noqa: E402

SEED = 20261206
DOCS, DOC_CHARS, PER_DOC = 500, 10_000, 1_000
ACTORS, ISSUES = 1_000, 20
CODERS = ("Ana", "Bo", "Chen", "Dara")
STEP_RUNS, ADD_RUNS, LIST_RUNS, OPEN_RUNS = 10, 10, 5, 3
NOW = "2026-12-06T12:00:00.000Z"
TARGETS = {
    "start": "≤ 1000 ms",
    "list": "≤ 50 ms",
    "step": "≤ 30 ms",
    "add": "≤ 16 ms",
    "export": "≤ 5 s",
}
WORDS = (
    "the of and to in a is that for on with as by at from it was said would not be has "
    "government minister party parliament election policy reform budget president "
    "opposition coalition announced criticised demanded proposal agreement union climate "
    "energy migration health court protest economy taxes security sanctions treaty summit "
    "대통령 정부 국회 👍🏽 🇰🇷 “quoted” =SUM(A1) -minus, comma"
).split()

# The export runs in a child process so that its peak resident set is its own. The
# child reads VmHWM (Linux): ru_maxrss survives fork and exec, so a child's starts at
# the parent's peak and would hide an export that needs less than the parent had.
EXPORT_CHILD = """
import json, resource, sys, time
from pathlib import Path
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.store.project import open_project

def peak_kb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]), "VmHWM"
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "ru_maxrss"

project = open_project(sys.argv[1])
before, _ = peak_kb()
t0 = time.perf_counter()
export_for_analysis(project, Path(sys.argv[2]), ExportOptions())
seconds = time.perf_counter() - t0
peak, source = peak_kb()
project.close()
print(json.dumps({"seconds": seconds, "before_kb": before, "peak_kb": peak, "source": source}))
"""


def make_text(rng: random.Random) -> str:
    return sentences(rng, WORDS, DOC_CHARS)


def build_project(path: Path, rng: random.Random) -> Project:
    """Setup (not timed), in one transaction: documents, registry, issues, coders,
    then PER_DOC annotations per document with their values, bulk-inserted."""
    project = create_project(path)
    codebook = project.codebook()

    def attr(category: str, name: str) -> Attribute:
        found = codebook.attribute(category, name)
        if found is None:
            raise RuntimeError(f"the default codebook has no {category} attribute {name!r}")
        return found

    a = filled_attribute_ids(project)
    polarity = [c.id for c in attr("stance", "polarity").choices]
    cats = {c.key: c.id for c in project.categories()}
    conn = project.db.conn
    with project.db.atomic():
        docs = [
            project.import_text(
                make_text(rng),
                title=f"Article {i}, “n”",
                source=rng.choice(("Daily", "Herald", "Times", "연합뉴스")),
                date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            )
            for i in range(DOCS)
        ]
        actors = [
            project.add_actor(
                f"Actor {i}", type=rng.choice(("person", "organisation")), country="KR"
            ).id
            for i in range(ACTORS)
        ]
        issues = [
            project.add_choice(a["issue"], f"issue {i}", code=i + 1).id for i in range(ISSUES)
        ]
        coders = [project.ensure_coder(name).id for name in CODERS]
        for doc in docs:
            text = project.document_text(doc.id)
            words = [m.span() for m in re.finditer(r"\S+", text)]
            rows: list[tuple[object, ...]] = []
            values: list[tuple[object, ...]] = []
            mentions: list[str] = []
            claims: list[str] = []
            for j in range(PER_DOC):
                first = rng.randrange(len(words))
                start = words[first][0]
                end = words[min(len(words) - 1, first + rng.randint(0, 11))][1]
                category = ("actor", "claim", "stance")[j % 3]
                ann = seeded_id(rng)
                rows.append(
                    (ann, doc.id, rng.choice(coders), cats[category], start, end)
                    + (text[start:end], "", NOW, NOW)
                )
                if category == "actor":
                    mentions.append(ann)
                    if rng.random() < 0.8:
                        values.append((ann, a["actor"], None, None, rng.choice(actors), NOW))
                elif category == "claim":
                    claims.append(ann)
                    values.append((ann, a["claimant"], None, rng.choice(mentions), None, NOW))
                    values.append((ann, a["issue"], rng.choice(issues), None, None, NOW))
                else:
                    values.append((ann, a["polarity"], rng.choice(polarity), None, None, NOW))
                    values.append((ann, a["holder"], None, rng.choice(mentions), None, NOW))
                    if rng.random() < 0.9:
                        values.append((ann, a["target"], None, rng.choice(claims), None, NOW))
                    else:
                        values.append((ann, a["target"], rng.choice(issues), None, None, NOW))
            conn.executemany(
                'INSERT INTO annotations (id, document_id, coder_id, category_id, start, "end",'
                " quote, memo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.executemany(
                "INSERT INTO annotation_values (annotation_id, attribute_id, choice_id,"
                " ref_annotation_id, ref_actor_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
    return project


def bench_step(window: MainWindow) -> list[float]:
    """Next document (what Page Down / the menu does), until the view is painted."""

    def step() -> None:
        window.step_document(1)
        settle(window)

    times = []
    for _ in range(STEP_RUNS):
        before = window.current
        times.append(timed(step))
        if window.current is None or before is None or window.current.id == before.id:
            raise RuntimeError("step_document(1) did not show the next document")
    return times


def bench_add(window: MainWindow, rng: random.Random) -> list[float]:
    """Key 2 on a selection → saved → window painted; each one undone afterwards."""
    activate(window)
    words = [m.span() for m in re.finditer(r"\S+", window.view.text)]
    times = []
    for _ in range(ADD_RUNS):
        first = rng.randrange(len(words))
        start, end = words[first][0], words[min(len(words) - 1, first + rng.randint(0, 5))][1]

        def select(start: int = start, end: int = end) -> None:
            window.view.select_span(start, end)
            window.view.setFocus()
            settle(window)

        def press_2() -> None:
            QTest.keyClick(window.view, Qt.Key.Key_2)
            QApplication.processEvents()

        before = window.project.annotation_count()
        times.append(timed(press_2, select))
        if window.project.annotation_count() != before + 1:
            raise RuntimeError("pressing 2 did not save an annotation")
        window.undo_stack.undo()
        settle(window)
    window.undo_stack.clear()
    return times


def export_in_child(path: Path, out: Path) -> tuple[float, float, float, str]:
    """(seconds, peak MB before the export, peak MB after it, how the peak was read)."""
    done = subprocess.run(
        [sys.executable, "-c", EXPORT_CHILD, str(path), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return (
        float(result["seconds"]),
        result["before_kb"] / 1024,
        result["peak_kb"] / 1024,
        str(result["source"]),
    )


def line(name: str, values: list[float], unit: str, goal: str) -> str:
    runs = len(values)
    return (
        f"{name:<38}{runs:>5}{min(values):>10.1f} {unit}"
        f"{statistics.median(values):>10.1f} {unit}  {goal}"
    )


def main() -> int:
    def refuse_dialog(parent: QWidget | None, title: str, message: str) -> None:
        raise RuntimeError(f"{title}: {message}")  # a modal box would hang offscreen

    dialogs.show_error = refuse_dialog
    dialogs.show_info = refuse_dialog
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print("\n".join(machine(f"PySide6:   {PySide6.__version__}, Qt {qVersion()}")), flush=True)
    root = Path(_TMP.name)
    path = root / "study.annotator"
    t0 = time.perf_counter()
    project = build_project(path, random.Random(SEED))
    chars = sum(d.char_count for d in project.documents(counts=False))
    values = project.db.execute("SELECT COUNT(*) FROM annotation_values").fetchone()[0]
    print(
        f"setup:     {project.annotation_count():,} annotations with {values:,} values in "
        f"{DOCS} documents ({chars:,} characters), {ACTORS:,} registry actors, "
        f"{len(CODERS)} coders "
        f"({time.perf_counter() - t0:.1f} s, not timed)",
        flush=True,
    )
    project.close()
    if "--keep" in sys.argv:
        shutil.copyfile(path, sys.argv[sys.argv.index("--keep") + 1])
    size = path.stat().st_size
    rows: list[tuple[str, list[float], str, str]] = []

    opens = []
    for _ in range(OPEN_RUNS):
        t0 = time.perf_counter()
        project = open_project(path)
        opens.append((time.perf_counter() - t0) * 1000.0)
        project.close()
    rows.append(("open_project", opens, "ms", "(file in the page cache)"))

    gc.collect()
    t0 = time.perf_counter()
    project = open_project(path)
    opened = (time.perf_counter() - t0) * 1000.0
    t0 = time.perf_counter()
    window = MainWindow(AppSettings(root / "config" / "settings.ini"), project, "Ana")
    window.show()
    settle(window)
    start = (time.perf_counter() - t0) * 1000.0
    if window.current is None or window.current.id != project.documents(counts=False)[0].id:
        raise RuntimeError("the first document is not shown")
    rows.append(("start: MainWindow → first doc shown", [start], "ms", TARGETS["start"]))
    rows.append(("  the same with open_project", [opened + start], "ms", "(one run)"))
    backups = [timed(lambda: project.backup("bench"))]
    rows.append(("  backup on opening, alone", backups, "ms", "(project.backup, after)"))

    documents = [timed(project.documents) for _ in range(LIST_RUNS)]
    rows.append(("Project.documents()", documents, "ms", "(with counts)"))

    def refresh() -> None:
        window.refresh_documents()
        QApplication.processEvents()

    refreshes = [timed(refresh) for _ in range(LIST_RUNS)]
    rows.append(("window.refresh_documents()", refreshes, "ms", TARGETS["list"]))
    rows.append(("next document (step_document)", bench_step(window), "ms", TARGETS["step"]))
    adds = bench_add(window, random.Random(SEED + 1))
    rows.append(("add (key 2 → saved → painted)", adds, "ms", TARGETS["add"]))
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    project.close()

    seconds, before, peak, source = export_in_child(path, root / "out")
    written = sum(f.stat().st_size for f in (root / "out").iterdir() if f.is_file())
    rows.append(("export_for_analysis (csv, analysis)", [seconds], "s ", TARGETS["export"]))
    note = f"({source} of the child; {before:.0f} MB before the export)"
    rows.append(("  peak resident set of the export", [peak], "MB", note))
    print(f"\n{'measure':<38}{'runs':>5}{'min':>13}{'median':>13}  target")
    for name, values, unit, goal in rows:
        print(line(name, values, unit, goal))
    print(f"project file: {size / 1e6:.0f} MB; export wrote {written / 1e6:.0f} MB")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
