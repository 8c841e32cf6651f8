"""Benchmark: the export of a kept study project alone (issue 15: ≤ 5 s, ≤ 400 MB).

``bench_study.py --keep PATH`` builds the study project (500 documents × 1,000
annotations, 4 coders) and copies it to PATH; this script copies PATH once more
and times ``export_for_analysis`` (CSV, analysis profile) of that copy, each run
in a fresh child process as ``bench_study.py`` does. It prints, per run, the wall
time, the CPU seconds of the child's export (every thread: on a shared machine
they move less than the wall time) and the child's peak resident set (VmHWM),
then the minimum and the median. With ``--phases`` a last run also prints the
CPU seconds of the main thread per phase of the big tables' pass.

    .venv/bin/python bench/bench_study_export.py PATH [--runs N] [--phases]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the code measured is this checkout's, in the children too

from benchlib import isolated_folders, machine  # noqa: E402

_TMP = isolated_folders("annotator-bench-study-export-")

CHILD = """
import json, sys, time
from pathlib import Path
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.store.project import open_project

def peak_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0

project = open_project(sys.argv[1])
t0, c0 = time.perf_counter(), time.process_time()
export_for_analysis(project, Path(sys.argv[2]), ExportOptions())
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
project.close()
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_kb": peak_kb()}))
"""

# The big tables' pass again, its phases timed on the main thread (CPU seconds).
PHASES = """
import sys, time
from collections import defaultdict
from pathlib import Path
import annotator.exporting.analysis as analysis
from annotator.exporting.claims import Links
from annotator.exporting.model import ExportOptions
from annotator.exporting.tables import Batch
from annotator.exporting.tallies import Tallies
from annotator.store.project import open_project

spent = defaultdict(float)
clock = time.thread_time

def timed(name, work):
    start = clock()
    value = work()
    spent[name] += clock() - start
    return value

def write_big_tables(sources, sinks, definitions, plan, progress, first_step, total, also=None):
    data, form = sources.data, sources.form
    tallies = Tallies(data)
    for group in plan:
        part = timed("read a group (ExportData.batch)", lambda: data.batch(group))
        timed("quotes checked", part.check_quotes)
        batch = timed("claims and stances linked (Links)", lambda: Batch(part, Links(part)))
        for d in definitions:
            rows = timed(f"{d.name}: rows", lambda: list(d.batch_rows(batch, form)))
            timed(f"{d.name}: joined, encoded, handed over", lambda: sinks[d.name].add(rows))
        timed("summaries counted (Tallies)", lambda: tallies.add(part, batch.links))
        if also is not None:
            timed("adjudication.csv rows (AdjudicationFile)", lambda: also(part, group))
    for sink in sinks.values():
        sink.finish()
    sources.counted(tallies)
    return {name: sink.outcome for name, sink in sinks.items()}

analysis.write_big_tables = write_big_tables
project = open_project(sys.argv[1])
start = clock()
analysis.export_for_analysis(project, Path(sys.argv[2]), ExportOptions())
whole = clock() - start
for name, seconds in spent.items():
    print(f"  {name:52s} {seconds:6.2f} s")
print(f"  {'everything else (other tables, GraphML, opening)':52s} "
      f"{whole - sum(spent.values()):6.2f} s")
print(f"  {'main thread, whole export':52s} {whole:6.2f} s")
"""


def run(code: str, project: Path, out: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, str(project), str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    return done.stdout


def main() -> None:
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 3
    work = Path(_TMP.name)
    project = work / "study.annotator"
    shutil.copyfile(args[0], project)
    print("\n".join(machine()))
    results = []
    for i in range(runs):
        out = work / f"out-{i}"
        result = json.loads(run(CHILD, project, out).strip().splitlines()[-1])
        results.append(result)
        print(
            f"run {i + 1}: {result['seconds']:6.2f} s wall, {result['cpu']:6.2f} s CPU, "
            f"peak {result['peak_kb'] / 1024:6.1f} MB",
            flush=True,
        )
        shutil.rmtree(out)
    for key, unit in (("seconds", "s wall"), ("cpu", "s CPU")):
        values = [r[key] for r in results]
        print(f"{unit:7s} min {min(values):6.2f}  median {statistics.median(values):6.2f}")
    print(f"peak    max {max(r['peak_kb'] for r in results) / 1024:6.1f} MB (target ≤ 400 MB)")
    if "--phases" in args:
        print("phases (CPU seconds of the main thread, one more run):")
        print(run(PHASES, project, work / "out-phases"), end="")


if __name__ == "__main__":
    main()
