"""Benchmark: the full agreement report of 4 coders x 200 documents x 25,000 annotations
each (100,000 in all), every document coded by every coder: overlapping spans, about 85 %
of each coder's spans on a shared unit with its boundaries sometimes a word off, values
that mostly agree. Prints the figures beside the target; never fails on them.

Run from the repository root:  .venv/bin/python bench/bench_agreement.py [--profile]
"""

from __future__ import annotations

from benchlib import filled_attribute_ids, isolated_folders, machine, seeded_id, sentences

# Before anything imports Qt or reads the user's folders.
_TMP = isolated_folders("annotator-bench-agreement-")

import cProfile  # noqa: E402
import gc  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from annotator.exporting.agreement_files import agreement, write_agreement  # noqa: E402
from annotator.store.project import Project, create_project  # noqa: E402

SEED = 20261207
CODERS = ("Ana", "Bo", "Chen", "Dara")
DOCS, PER_DOC, DOC_CHARS, ACTORS, ISSUES = 200, 125, 9_000, 300, 12
RUNS = 3
TARGET_S = 3.0
NOW = "2026-12-07T12:00:00.000Z"
WORDS = (
    "the of and to in a is that for on with as by at from it was said would not be has "
    "government minister party parliament election policy reform budget president "
    "opposition coalition announced criticised demanded proposal agreement union climate"
).split()


def build_project(path: Path, rng: random.Random) -> Project:
    """Setup (not timed), through the store's tables directly as bench_export does."""
    project = create_project(path)
    docs = [
        project.import_text(sentences(rng, WORDS, DOC_CHARS), title=f"Document {i}")
        for i in range(DOCS)
    ]
    texts = {d.id: project.document_text(d.id) for d in docs}
    actors = [project.add_actor(f"Actor {i}").id for i in range(ACTORS)]
    a = filled_attribute_ids(project)
    issues = [project.add_choice(a["issue"], f"issue {i}", code=i + 1).id for i in range(ISSUES)]
    polarity = [c.id for c in project.codebook().attribute("stance", "polarity").choices]
    coder_ids = {name: project.ensure_coder(name).id for name in CODERS}
    cats = {c.key: c.id for c in project.categories()}
    rows: list[dict[str, object]] = []
    values: list[dict[str, object]] = []

    def value(ann: str, attribute: str, **cells: str) -> None:
        values.append(
            {
                "annotation_id": ann,
                "attribute_id": attribute,
                "value_text": None,
                "value_number": None,
                "choice_id": cells.get("choice"),
                "ref_annotation_id": cells.get("annotation"),
                "ref_actor_id": cells.get("actor"),
                "updated_at": NOW,
            }
        )

    def agree(truth: str, others: list[str], p: float) -> str:
        return truth if rng.random() < p else rng.choice(others)

    for doc in docs:
        text = texts[doc.id]
        words = [m.span() for m in re.finditer(r"\S+", text)]
        step = len(words) // PER_DOC
        # The units in the text: one every `step` words, 1-8 words long.
        truth = []
        for n in range(PER_DOC):
            first = n * step + rng.randrange(max(1, step - 8))
            length = rng.randint(1, 8)
            truth.append(
                (
                    first,
                    min(len(words) - 1, first + length - 1),
                    ("actor", "claim", "stance")[0 if n % 3 == 0 else n % 3],
                    rng.choice(actors),
                    rng.choice(issues),
                    rng.choice(polarity),
                )
            )
        for coder in CODERS:
            mentions: list[str] = []
            claims: list[str] = []
            for first, last, category, actor, issue, pol in truth:
                if rng.random() < 0.15:  # a span of one's own instead
                    first = rng.randrange(len(words) - 8)
                    last = first + rng.randint(0, 7)
                elif rng.random() < 0.3:  # a word more or less at one end
                    first = max(0, first + rng.choice((-1, 1))) if first < last else first
                start, end = words[first][0], words[max(first, last)][1]
                ann = seeded_id(rng)
                rows.append(
                    {
                        "id": ann,
                        "document_id": doc.id,
                        "coder_id": coder_ids[coder],
                        "category_id": cats[category],
                        "start": start,
                        "end": end,
                        "quote": text[start:end],
                        "memo": "",
                        "created_at": NOW,
                        "updated_at": NOW,
                    }
                )
                if category == "actor":
                    mentions.append(ann)
                    value(ann, a["actor"], actor=agree(actor, actors, 0.85))
                elif category == "claim":
                    claims.append(ann)
                    if mentions:
                        value(ann, a["claimant"], annotation=mentions[-1])
                    value(ann, a["issue"], choice=agree(issue, issues, 0.85))
                else:
                    value(ann, a["polarity"], choice=agree(pol, polarity, 0.8))
                    if claims:
                        value(ann, a["target"], annotation=claims[-1])
    with project.db.atomic():
        project.db["annotations"].insert_all(rows, batch_size=1000)
        project.db["annotation_values"].insert_all(values, batch_size=1000)
    return project


def timed(project: Project, out: Path | None) -> tuple[float, float, object]:
    """Wall and processor time of the report (with its files when ``out`` is given)."""
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    if out is None:
        report = agreement(project)
    else:
        report = write_agreement(project, out)
    return time.perf_counter() - t0, time.process_time() - c0, report


def main() -> int:
    print("\n".join(machine()))
    root = Path(_TMP.name)
    t0 = time.perf_counter()
    project = build_project(root / "bench.annotator", random.Random(SEED))
    print(
        f"setup:     {project.annotation_count():,} annotations, {len(CODERS)} coders, "
        f"{DOCS} documents ({time.perf_counter() - t0:.1f} s, not timed)",
        flush=True,
    )
    for label, out in (("report (read, match, every figure)", None),
                       ("report and its files written", root / "out")):  # fmt: skip
        runs = [timed(project, out) for _ in range(RUNS)]
        walls = [w for w, _c, _r in runs]
        cpus = [c for _w, c, _r in runs]
        report = runs[-1][2]
        print(
            f"{label}: wall min {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
            f"processor min {min(cpus):.2f} s over {RUNS} runs (target ≤ {TARGET_S:.0f} s); "
            f"{len(report.units):,} units, {len(report.figures):,} figures"  # type: ignore[attr-defined]
        )
    size = sum(f.stat().st_size for f in (root / "out").iterdir())
    print(f"files: {size / 1e6:.1f} MB")
    if "--profile" in sys.argv:
        profiler = cProfile.Profile()
        profiler.enable()
        write_agreement(project, root / "out")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    project.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
