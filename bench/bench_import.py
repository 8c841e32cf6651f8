"""Import benchmark: 1,000 generated plain-text files (~10 MB) into a new project.

Prints the time next to the target (≤ 10 s) and always exits 0; it measures, it
does not test. Run from the repository root: ``.venv/bin/python bench/bench_import.py``.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

FILES = 1000
BYTES_PER_FILE = 10_000
TARGET_S = 10.0

WORDS = (
    "the minister said talks with Pyongyang would continue despite sanctions and "
    "the opposition called the summit a failure while analysts in Seoul expected "
    "more pressure from Washington Beijing and Tokyo on the nuclear programme"
).split()
EXTRAS = ["소아쌤", "👍🏽", "“no deal”", "Köln", "東京", "café"]


def make_text(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25)))
        sentence = sentence.capitalize() + " " + rng.choice(EXTRAS) + "."
        parts.append(sentence)
        length += len(sentence.encode()) + 1
        if rng.random() < 0.2:
            parts.append("\r\n" if rng.random() < 0.5 else "\n")
    return " ".join(parts)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["ANNOTATOR_DATA_DIR"] = str(root / "data")
        os.environ["ANNOTATOR_CONFIG_DIR"] = str(root / "config")
        import annotator
        from annotator.importing.pipeline import import_paths
        from annotator.store.project import create_project

        rng = random.Random(20261123)
        folder = root / "docs"
        folder.mkdir()
        total = 0
        for i in range(FILES):
            data = make_text(rng, BYTES_PER_FILE).encode("utf-8")
            (folder / f"doc{i:04d}.txt").write_bytes(data)
            total += len(data)
        print(f"annotator: {Path(annotator.__file__).parent}")
        print(f"files: {FILES}, {total / 1e6:.1f} MB")
        start = time.perf_counter()
        with create_project(root / "bench.annotator") as project:
            report = import_paths(project, [folder])
        elapsed = time.perf_counter() - start
        print(
            f"imported: {report.count('imported')}, rejected: {report.count('rejected')}, "
            f"duplicates: {report.count('duplicate')}"
        )
        verdict = "ok" if elapsed <= TARGET_S else "SLOWER THAN TARGET"
        print(f"import: {elapsed:.2f} s (target ≤ {TARGET_S:.0f} s) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
