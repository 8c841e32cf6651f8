"""Benchmark: the .xlsx workbook of an export of 24,500 coded annotations (the
project of bench_export.py, smaller). Prints the time spent writing the workbook
and the whole export's; never fails on them.

Run from the repository root:  .venv/bin/python bench/bench_xlsx.py [--profile]
"""

from __future__ import annotations

from benchlib import isolated_folders, machine

# Before anything imports Qt or reads the user's folders.
_TMP = isolated_folders("annotator-bench-xlsx-")

import cProfile  # noqa: E402
import gc  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import bench_export  # noqa: E402

from annotator.exporting import xlsx  # noqa: E402
from annotator.exporting.analysis import export_for_analysis  # noqa: E402
from annotator.exporting.model import ExportOptions  # noqa: E402

ANNOTATIONS = 24_500
RUNS = 3
TARGET_S = 3.0
OPTIONS = ExportOptions(formats=("csv", "xlsx"))

_write_xlsx = xlsx.write_xlsx
xlsx_times: list[float] = []


def timed_write_xlsx(*args: Any, **kwargs: Any) -> None:
    """xlsx.write_xlsx, timed: the export looks the writer up when it writes."""
    t0 = time.perf_counter()
    _write_xlsx(*args, **kwargs)
    xlsx_times.append(time.perf_counter() - t0)


def main() -> int:
    print("\n".join(machine()))
    root = Path(_TMP.name)
    bench_export.N = ANNOTATIONS
    t0 = time.perf_counter()
    project = bench_export.build_project(root / "bench.annotator", random.Random(1))
    print(
        f"setup:     {project.annotation_count():,} annotations "
        f"({time.perf_counter() - t0:.1f} s, not timed)",
        flush=True,
    )
    xlsx.write_xlsx = timed_write_xlsx  # type: ignore[assignment]
    totals = []
    for _ in range(RUNS):
        gc.collect()
        t0 = time.perf_counter()
        export_for_analysis(project, root / "out", OPTIONS)
        totals.append(time.perf_counter() - t0)
    size = (root / "out" / "export.xlsx").stat().st_size
    print(
        f"write_xlsx: min {min(xlsx_times):.2f} s, median {statistics.median(xlsx_times):.2f} s "
        f"over {RUNS} runs (target ≤ {TARGET_S:.0f} s); export.xlsx {size / 1e6:.1f} MB"
    )
    print(f"export_for_analysis csv+xlsx: min {min(totals):.2f} s")
    if "--profile" in sys.argv:
        profiler = cProfile.Profile()
        profiler.runcall(export_for_analysis, project, root / "out", OPTIONS)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
    project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
