"""Benchmark: export_for_analysis (CSV only) of a project with 100,000 coded
annotations. Prints the figures beside the target; never fails on them.

Run from the repository root:  .venv/bin/python bench/bench_export.py [--profile]
"""

from __future__ import annotations

from benchlib import filled_attribute_ids, isolated_folders, machine, seeded_id, sentences

# Before anything imports Qt or reads the user's folders.
_TMP = isolated_folders("annotator-bench-export-")

import cProfile  # noqa: E402
import gc  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from annotator.exporting.analysis import export_for_analysis  # noqa: E402
from annotator.exporting.model import ExportOptions  # noqa: E402
from annotator.store.project import Project, create_project  # noqa: E402

SEED = 20261123
N = 100_000
DOCS, DOC_CHARS, ACTORS, ISSUES = 100, 20_000, 300, 12
RUNS = 5
TARGET_S = 2.0
NOW = "2026-11-23T12:00:00.000Z"
WORDS = (
    "the of and to in a is that for on with as by at from it was said would not be has "
    "government minister party parliament election policy reform budget president "
    "opposition coalition announced criticised demanded proposal agreement union climate "
    "energy migration health court protest economy taxes security sanctions treaty summit "
    "대통령 정부 국회 👍🏽 🇰🇷 “quoted” =SUM(A1) -minus, comma"
).split()


def make_text(rng: random.Random) -> str:
    return sentences(rng, WORDS, DOC_CHARS)


def build_project(path: Path, rng: random.Random) -> Project:
    """Setup (not timed): documents, registry, issues, N annotations with values."""
    project = create_project(path)
    docs = [
        project.import_text(
            make_text(rng), title=f"Document {i}, “n”", source="Bench", date="2024-06-20"
        )
        for i in range(DOCS)
    ]
    texts = {d.id: project.document_text(d.id) for d in docs}
    spans = {d.id: [m.span() for m in re.finditer(r"\S+", texts[d.id])] for d in docs}
    actors = [project.add_actor(f"Actor {i}", type="person", country="KR") for i in range(ACTORS)]
    attr = project.codebook().attribute
    a = filled_attribute_ids(project)
    issues = [project.add_choice(a["issue"], f"issue {i}", code=i + 1).id for i in range(ISSUES)]
    polarity = [c.id for c in attr("stance", "polarity").choices]
    coders = [project.ensure_coder(name).id for name in ("Ana", "Bo", "Chen")]
    cats = {c.key: c.id for c in project.categories()}
    rows, values = [], []
    mentions: dict[str, list[str]] = {d.id: [] for d in docs}
    claims: dict[str, list[str]] = {d.id: [] for d in docs}

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

    for i in range(N):
        doc = docs[i % DOCS].id
        words = spans[doc]
        first = rng.randrange(len(words))
        start, end = words[first][0], words[min(len(words) - 1, first + rng.randint(0, 11))][1]
        category = ("actor", "claim", "stance")[(i // DOCS) % 3]
        ann = seeded_id(rng)
        rows.append(
            {
                "id": ann,
                "document_id": doc,
                "coder_id": rng.choice(coders),
                "category_id": cats[category],
                "start": start,
                "end": end,
                "quote": texts[doc][start:end],
                "memo": "",
                "created_at": NOW,
                "updated_at": NOW,
            }
        )
        if category == "actor":
            mentions[doc].append(ann)
            if rng.random() < 0.8:
                value(ann, a["actor"], actor=rng.choice(actors).id)
        elif category == "claim":
            claims[doc].append(ann)
            value(ann, a["claimant"], annotation=rng.choice(mentions[doc]))
            value(ann, a["issue"], choice=rng.choice(issues))
        else:
            value(ann, a["polarity"], choice=rng.choice(polarity))
            value(ann, a["holder"], annotation=rng.choice(mentions[doc]))
            if rng.random() < 0.9:
                value(ann, a["target"], annotation=rng.choice(claims[doc]))
            else:
                value(ann, a["target"], choice=rng.choice(issues))
    with project.db.atomic():
        project.db["annotations"].insert_all(rows, batch_size=1000)
        project.db["annotation_values"].insert_all(values, batch_size=1000)
    return project


def timed(project: Project, out: Path) -> float:
    gc.collect()
    t0 = time.perf_counter()
    export_for_analysis(project, out, ExportOptions())
    return time.perf_counter() - t0


def main() -> int:
    print("\n".join(machine()))
    root = Path(_TMP.name)
    t0 = time.perf_counter()
    project = build_project(root / "bench.annotator", random.Random(SEED))
    print(
        f"setup:     {project.annotation_count():,} annotations in {DOCS} documents "
        f"({time.perf_counter() - t0:.1f} s, not timed)",
        flush=True,
    )
    times = [timed(project, root / "out") for _ in range(RUNS)]
    size = sum(f.stat().st_size for f in (root / "out").iterdir())
    print(
        f"export_for_analysis, csv, analysis profile: min {min(times):.2f} s, "
        f"median {statistics.median(times):.2f} s over {RUNS} runs "
        f"(target ≤ {TARGET_S:.0f} s); {size / 1e6:.1f} MB written"
    )
    if "--profile" in sys.argv:
        profiler = cProfile.Profile()
        profiler.runcall(export_for_analysis, project, root / "out", ExportOptions())
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
