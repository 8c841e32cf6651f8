"""Benchmark: coder copies and merging them, at the size of a team's study.

Builds a lead's project of 200 documents (about 5,000 characters each) and a
registry of 60 actors, prepares 4 coder copies (everything for everyone), fills
each copy with 25,000 annotations with their values (written with SQL, as a
coder's weeks of work), then times through ``annotator.ops.team``:

* preparing the 4 copies;
* merging the first coder's file into the lead's project (and the verified
  backup taken before it, timed apart);
* merging the same file again, unchanged (every annotation compared, nothing
  written but the log line);
* merging the second coder's file into a project that holds the first's;
* merging the first file after the coder changed 250 annotations and deleted 250.

Run from the repository root:  .venv/bin/python bench/bench_team.py [--coders 4]
[--documents 200] [--annotations 25000]
"""

from __future__ import annotations

from benchlib import isolated_folders

_TMP = isolated_folders("annotator-bench-team-")

import argparse  # noqa: E402
import random  # noqa: E402
import sqlite3  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from benchlib import machine, seeded_id, sentences  # noqa: E402

from annotator.ops import registry as registry_ops  # noqa: E402
from annotator.ops.team import merge_coder_files, plan_for, prepare_coder_copies  # noqa: E402
from annotator.store.project import create_project, open_project  # noqa: E402

WORDS = (
    "government minister party union strike farmers deal court ruled against called for "
    "the a of in on said that would not support oppose reform tax budget election"
).split()
CATEGORIES = ("actor", "claim", "stance")


def timed(label: str, work: Callable[[], Any], rows: list[tuple[str, float, float]]) -> Any:
    """Run ``work``; note its wall-clock and processor time (this process's: on a busy
    machine the second says what the work costs, the first what it took)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = work()
    rows.append((label, time.perf_counter() - start, time.process_time() - cpu))
    return value


def fill(path: Path, coder: str, count: int, rng: random.Random) -> list[str]:
    """``count`` annotations by ``coder`` with a value each, written with SQL."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    docs = conn.execute("SELECT id, text FROM documents ORDER BY position").fetchall()
    categories = dict(conn.execute("SELECT key, id FROM categories"))
    coder_id = seeded_id(rng)
    conn.execute(
        "INSERT INTO coders (id, name, created_at) VALUES (?, ?, '2026-01-01T00:00:00.000Z')",
        (coder_id, coder),
    )
    attrs = dict(
        conn.execute(
            "SELECT c.key || '.' || a.key, a.id FROM attributes a"
            " JOIN categories c ON c.id = a.category_id"
        )
    )
    polarity = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM choices WHERE attribute_id = ?", (attrs["stance.polarity"],)
        )
    ]
    actors = [row[0] for row in conn.execute("SELECT id FROM actors")]
    annotations, values, ids = [], [], []
    for n in range(count):
        doc_id, text = docs[n % len(docs)]
        start = rng.randrange(len(text) - 40)
        end = start + rng.randint(3, 35)
        category = rng.choice(CATEGORIES)
        ident = seeded_id(rng)
        ids.append(ident)
        stamp = f"2026-02-{1 + n % 28:02d}T10:00:00.000Z"
        annotations.append(
            (ident, doc_id, coder_id, categories[category], start, end, text[start:end], stamp)
        )
        if category == "actor":
            values.append((ident, attrs["actor.actor"], None, rng.choice(actors)))
        elif category == "claim":
            values.append((ident, attrs["claim.claimant"], None, rng.choice(actors)))
        else:
            values.append((ident, attrs["stance.polarity"], rng.choice(polarity), None))
    conn.execute("BEGIN")
    conn.executemany(
        'INSERT INTO annotations (id, document_id, coder_id, category_id, start, "end", quote,'
        " memo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?8)",
        annotations,
    )
    conn.executemany(
        "INSERT INTO annotation_values (annotation_id, attribute_id, choice_id, ref_actor_id,"
        " updated_at) VALUES (?, ?, ?, ?, '2026-02-01T10:00:00.000Z')",
        values,
    )
    conn.execute("COMMIT")
    conn.close()
    return ids


def edit(path: Path, ids: list[str], rng: random.Random, changed: int, deleted: int) -> None:
    picks = rng.sample(ids, changed + deleted)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    conn.executemany(
        "UPDATE annotations SET memo = 'checked', updated_at = '2026-03-01T10:00:00.000Z'"
        " WHERE id = ?",
        [(i,) for i in picks[:changed]],
    )
    conn.executemany("DELETE FROM annotations WHERE id = ?", [(i,) for i in picks[changed:]])
    conn.execute("COMMIT")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--coders", type=int, default=4)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--annotations", type=int, default=25_000)
    args = parser.parse_args()
    root = Path(_TMP.name)
    rng = random.Random(18)
    rows: list[tuple[str, float, float]] = []
    lead = create_project(root / "lead.annotator")
    for n in range(args.documents):
        lead.import_text(sentences(rng, WORDS, 5000), title=f"Article {n}")
    for n in range(60):
        registry_ops.add_actor(lead, f"Actor {n}", aliases=[f"A{n}"])
    coders = [f"coder{n + 1}" for n in range(args.coders)]
    plan = plan_for(lead, coders)
    files = timed(
        f"prepare {args.coders} copies",
        lambda: prepare_coder_copies(lead, plan, root / "copies").value.files,
        rows,
    )
    ids = {c: fill(files[c], c, args.annotations, rng) for c in coders}
    first, second = files[coders[0]], files[coders[min(1, len(coders) - 1)]]
    timed("verified backup before merging", lambda: lead.backup("before-merge"), rows)

    def merge(path: Path) -> str:
        (report,) = merge_coder_files(lead, [path], backed_up=True).value
        return report.summary().split(": ", 1)[1]

    summaries = [
        ("merge coder 1 (new)", timed("merge coder 1 (new)", lambda: merge(first), rows)),
        (
            "re-merge coder 1 (unchanged)",
            timed("re-merge coder 1 (unchanged)", lambda: merge(first), rows),
        ),
    ]
    if second != first:
        summaries.append(
            ("merge coder 2 (new)", timed("merge coder 2 (new)", lambda: merge(second), rows))
        )
    edit(first, ids[coders[0]], rng, 250, 250)
    summaries.append(
        (
            "re-merge coder 1 (250 changed, 250 deleted)",
            timed("re-merge coder 1 (250 changed, 250 deleted)", lambda: merge(first), rows),
        )
    )
    total = lead.annotation_count()
    lead.close()
    with open_project(root / "lead.annotator", read_only=True) as check:
        assert check.annotation_count() == total
    print("\n".join(machine()))
    print(
        f"size:      {args.coders} coders x {args.documents} documents x "
        f"{args.annotations} annotations each\n"
    )
    print(f"{'':<46}{'wall':>8}  {'processor':>10}")
    for label, seconds, cpu in rows:
        print(f"{label:<46}{seconds:>8.2f} s{cpu:>10.2f} s")
    print()
    for label, summary in summaries:
        print(f"{label}: {summary}")


if __name__ == "__main__":
    main()
