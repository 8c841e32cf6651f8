"""Adjudication on the team benchmark project: 4 coders x 200 documents, 25,000
annotations per coder (125 a document), all coding the same units with a realistic
share of agreement (about 60 % agreed, 28 % disagreed on a value or the span, 12 %
where one coder's span lies elsewhere, which makes two single units).

Measures (the targets of the issue "Settle disagreements"):
* open: the Board reading every document's units (what the window does once);
* next + settle: ``Board.next_unsettled`` then ``ops.adjudication.settle`` and the
  document's units read again, as the window does after each key (target 50 ms);
* key in the window: a real key press (``1``: accept coder 1) in the Adjudicate
  window, offscreen, through settling, the table and lanes refreshed and the move to
  the next unsettled unit, ``processEvents`` included (target 50 ms);
* pre-merge of the whole project, and again (nothing new: decisions kept) (target 5 s).

Run: ``PYTHONPATH=$PWD .venv/bin/python bench/bench_adjudication.py [--documents 200]
[--annotations 25000]``. Setup is not timed; annotations go in through the store's
``add_annotations``, their values with one SQL statement.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import filled_attribute_ids, isolated_folders, machine, sentences  # noqa: E402

FOLDERS = isolated_folders("bench-adjudication-", offscreen=True)

from annotator.core.adjudication import DecisionKind  # noqa: E402
from annotator.ops import adjudication as adj  # noqa: E402
from annotator.ops.adjudication_units import Board  # noqa: E402
from annotator.store.project import Project, create_project, open_project  # noqa: E402

CODERS = ("Ana", "Bo", "Cy", "Di")
NOW = "2026-03-01T10:00:00.000Z"
WORDS = (
    "the minister said that farmers union government tax plan reform will would not "
    "reject support budget港 council Seoul 서울 parliament vote election economy".split()
)


def build(path: Path, documents: int, per_coder: int, rng: random.Random) -> Project:
    project = create_project(path)
    attrs = filled_attribute_ids(project)
    codebook = project.codebook()
    polarity = [c.id for c in codebook.attribute("stance", "polarity").choices]  # type: ignore[union-attr]
    with project.db.atomic():
        actors = [project.add_actor(f"Actor {i}").id for i in range(60)]
        issues = [project.add_choice(attrs["issue"], f"issue {i}", code=i).id for i in range(12)]
        docs = [
            project.import_text(sentences(rng, WORDS, 9000), title=f"Article {i}")
            for i in range(documents)
        ]
    per_doc = per_coder // documents
    for doc in docs:
        text = project.document_text(doc.id)
        words = [m.span() for m in re.finditer(r"\S+", text)]
        gold = []
        for j in range(per_doc):
            first = rng.randrange(len(words) - 10)
            last = first + rng.randint(0, 6)
            category = ("actor", "claim", "stance")[j % 3]
            value = (
                rng.choice(actors)
                if category == "actor"
                else rng.choice(issues)
                if category == "claim"
                else rng.choice(polarity)
            )
            gold.append((first, last, category, value))
        rows, values = [], []
        for c, coder in enumerate(CODERS):
            for first, last, category, value in gold:
                roll = rng.random()
                odd = rng.randrange(len(CODERS))
                if roll < 0.14 and odd == c:  # this coder differs on the value
                    value = (
                        rng.choice(actors)
                        if category == "actor"
                        else rng.choice(issues)
                        if category == "claim"
                        else rng.choice(polarity)
                    )
                elif roll < 0.28 and odd == c:  # ... or on the span's end
                    last = min(last + 1, len(words) - 1)
                elif roll < 0.40 and odd == c:  # ... or put the span elsewhere
                    first = rng.randrange(len(words) - 10)
                    last = first
                rows.append((doc.id, words[first][0], words[last][1], category, coder))
                values.append((category, value))
        records = project.add_annotations(rows)
        value_rows = []
        for record, (category, value) in zip(records, values, strict=True):
            if category == "actor":
                value_rows.append((record.id, attrs["actor"], None, value, NOW))
            elif category == "claim":
                value_rows.append((record.id, attrs["issue"], value, None, NOW))
            else:
                value_rows.append((record.id, attrs["polarity"], value, None, NOW))
        with project.db.atomic():
            project.db.conn.executemany(
                "INSERT INTO annotation_values (annotation_id, attribute_id, choice_id,"
                " ref_actor_id, updated_at) VALUES (?, ?, ?, ?, ?)",
                value_rows,
            )
    return project


def cpu(label: str, work: object) -> object:
    """Run ``work()``; print its wall and processor time (the machine may be shared)."""
    wall, proc = time.perf_counter(), time.process_time()
    value = work()  # type: ignore[operator]
    wall, proc = time.perf_counter() - wall, time.process_time() - proc
    print(
        f"{label:<34} wall {wall * 1000:8.0f} ms   processor {proc * 1000:8.0f} ms  (target <= 5 s)"
    )
    return value


def figure(label: str, runs: list[float], goal: str) -> str:
    ms = [r * 1000 for r in runs]
    return (
        f"{label:<34} min {min(ms):8.1f} ms  median {statistics.median(ms):8.1f} ms"
        f"  max {max(ms):8.1f} ms  ({len(ms)} runs; target {goal})"
    )


def bench_settle(project: Project, runs: int) -> tuple[float, list[float]]:
    started = time.perf_counter()
    board = Board(project)
    board.load_all()
    opened = time.perf_counter() - started
    times = []
    where: tuple[str | None, str | None] = (None, None)
    proc = time.process_time()
    for _ in range(runs):
        t0 = time.perf_counter()
        found = board.next_unsettled(*where)
        assert found is not None
        document_id, unit = found
        result = adj.settle(
            project,
            document_id,
            unit.key,
            DecisionKind.ACCEPTED,
            coder=min(unit.spans),
            settled_by="Lead",
            units=board.units(document_id),
        )
        board.record(result.value.decisions)  # as the window does
        times.append(time.perf_counter() - t0)
        where = (document_id, unit.key)
    per_unit = (time.process_time() - proc) / runs * 1000
    print(f"  next + settle: processor time per unit {per_unit:.1f} ms")
    return opened, times


def bench_window(project: Project, runs: int) -> tuple[float, list[float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from annotator.qt.session import ProjectSession
    from annotator.qt.team.adjudication_window import AdjudicationWindow

    app = QApplication.instance() or QApplication([])
    session = ProjectSession(project, "Lead")
    t0 = time.perf_counter()
    window = AdjudicationWindow(session)
    window.show()
    app.processEvents()
    opened = time.perf_counter() - t0
    window.activateWindow()
    app.processEvents()
    times = []
    for _ in range(runs):
        unit = window.current_unit()
        assert unit is not None
        number = window.model.coders.index(min(unit.spans)) + 1
        t0 = time.perf_counter()
        QTest.keyClick(window.table, Qt.Key(Qt.Key.Key_0 + number))
        app.processEvents()
        times.append(time.perf_counter() - t0)
    proc = time.process_time()
    for _ in range(runs):
        unit = window.current_unit()
        assert unit is not None
        number = window.model.coders.index(min(unit.spans)) + 1
        QTest.keyClick(window.table, Qt.Key(Qt.Key.Key_0 + number))
        app.processEvents()
    print(
        f"  window key: processor time per key {(time.process_time() - proc) / runs * 1000:.1f} ms"
    )
    window.close()
    return opened, times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--annotations", type=int, default=25_000, help="per coder")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--premerge-runs", type=int, default=3, help="fresh copies pre-merged")
    parser.add_argument("--project", type=Path, help="a team project built before (kept as is)")
    args = parser.parse_args()
    folder = Path(FOLDERS.name)
    print("\n".join(machine()))
    t0 = time.perf_counter()
    path = folder / "team.annotator"
    if args.project is not None:
        shutil.copy(args.project, path)
    else:
        build(path, args.documents, args.annotations, random.Random(19)).close()
    print(
        f"built {len(CODERS)} coders x {args.documents} documents x {args.annotations} "
        f"annotations in {time.perf_counter() - t0:.0f} s (not timed)"
    )
    fresh = folder / "fresh.annotator"
    shutil.copy(path, fresh)

    with open_project(path) as project:
        opened, times = bench_settle(project, args.runs)
        units = sum(len(Board(project).units(d).units) for d in Board(project).document_ids[:5])
        print(f"units in the first 5 documents: {units}")
        print(figure("board: read every document's units", [opened], "-"))
        print(figure("next unsettled + settle", times, "<= 50 ms"))
        w_open, w_times = bench_window(project, args.runs)
        print(figure("window: open", [w_open], "-"))
        print(figure("window: key 1 (settle + move)", w_times, "<= 50 ms"))

    # Pre-merge on fresh copies (min of --premerge-runs); the last copy then again.
    for run in range(args.premerge_runs):
        shutil.copy(fresh, folder / f"fresh{run}.annotator")
    proc_times: list[float] = []
    for run in range(args.premerge_runs):
        with open_project(folder / f"fresh{run}.annotator") as project:
            if run == 0:
                cpu("board: read every document's units", lambda: Board(project).load_all())
            started = time.process_time()
            report = cpu("pre-merge", lambda: adj.premerge(project, settled_by="Lead").value)
            proc_times.append(time.process_time() - started)
            print(f"  settled {report.settled} units ({report.agreed} agreed)")  # type: ignore[attr-defined]
            if run < args.premerge_runs - 1:
                continue
            print(f"pre-merge processor time: min {min(proc_times):.2f} s of {len(proc_times)}")
            again = cpu(
                "pre-merge again (nothing new)",
                lambda: adj.premerge(project, settled_by="Lead").value,
            )
            print(f"  settled {again.settled}, kept {again.kept}, changed {len(again.changed)}")  # type: ignore[attr-defined]
            more = cpu(
                "pre-merge --majority 3 after it",
                lambda: adj.premerge(project, settled_by="Lead", majority=3).value,
            )
            print(f"  settled {more.settled} more units by majority")  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
