"""Corpus benchmark: 500 documents (5 M characters, one in ten in Korean) with
500,000 annotations. Times the corpus search (words, a phrase, a prefix, a Korean
word, a word of two letters, regular expressions), the corpus index's share of the
import, the index build of the migration, and the file size the index adds.
Prints figures beside the targets; never fails on them.

Run from the repository root:  .venv/bin/python bench/bench_corpus.py
"""

from __future__ import annotations

from benchlib import isolated_folders, machine, seeded_id

# Before anything reads the user's folders.
_TMP = isolated_folders("annotator-bench-corpus-")

import gc  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from annotator.importing.pipeline import import_paths  # noqa: E402
from annotator.store.corpus_index import CORPUS_TRIGGERS, create_corpus_index  # noqa: E402
from annotator.store.corpus_search import SearchFilters  # noqa: E402
from annotator.store.project import Project, create_project, open_project  # noqa: E402

SEED = 20261207
DOCS, DOC_CHARS, ANNOTATIONS = 500, 10_000, 500_000
RUNS = 7
IMPORT_PAIRS = 6
NOW = "2026-12-07T12:00:00.000Z"
COMMON = (
    "the of and to in a is that for on with as by at from it was said would not be has "
    "government minister party parliament election policy reform budget president "
    "opposition coalition announced criticised demanded proposal agreement union climate "
    "energy migration health court protest economy taxes security sanctions treaty summit "
    "alliance Pyongyang Seoul Tokyo Washington Beijing nuclear talks"
).split()
KOREAN = (
    "대통령 정부 국회 한국은 북한의 핵 프로그램에 대해 우려를 표명했다 외교부 장관은 "
    "회담이 계속될 것이라고 말했다 확장억제 동맹 미국과 일본은 안보 협력을"
).split()
SYLLABLES = "ka ri to mu ne so pa li ve dor gan sil ter ru mon bes ak ul ine ost".split()


def vocabulary(rng: random.Random) -> list[str]:
    """The common words, then 20,000 made-up words (drawn with a Zipf-like skew)."""
    made = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(20_000)}
    return COMMON + sorted(made)


def word(rng: random.Random, words: list[str]) -> str:
    """A common word half of the time, else a made-up one, the first ones more often."""
    if rng.random() < 0.5:
        return rng.choice(COMMON)
    return words[min(int(rng.paretovariate(0.7)) - 1, len(words) - 1)]


def make_text(rng: random.Random, words: list[str], korean: bool) -> str:
    parts: list[str] = []
    size = 0
    while size < DOC_CHARS:
        if korean and rng.random() < 0.7:
            sentence = " ".join(rng.choice(KOREAN) for _ in range(rng.randint(5, 15)))
        else:
            sentence = " ".join(word(rng, words) for _ in range(rng.randint(5, 20)))
            if rng.random() < 0.05:
                sentence += " extended deterrence"
        parts.append(sentence.capitalize() + (".\n" if rng.random() < 0.1 else ". "))
        size += len(parts[-1])
    return "".join(parts)


def write_files(folder: Path, rng: random.Random) -> int:
    words = vocabulary(rng)[len(COMMON) :]
    rng.shuffle(words)
    total = 0
    folder.mkdir()
    for i in range(DOCS):
        text = make_text(rng, words, korean=i % 10 == 0)
        (folder / f"doc{i:03d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def timed_import(path: Path, folder: Path, *, index: bool) -> tuple[float, float]:
    """Wall-clock and processor time of importing the folder."""
    with create_project(path) as project:
        if not index:
            drop_index(project)
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        report = import_paths(project, [folder])
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert report.count("imported") == DOCS, report
    return elapsed, cpu


def index_alone(folder: Path) -> tuple[float, float]:
    """The index's own work for the folder's texts, outside the import: processor
    seconds (least of three) of an FTS5 table like the project's fed one document
    a transaction (as an import does), and fed all of them in one statement."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())]
    path = folder.parent / "alone.db"
    definition = (
        "text, content='', tokenize='unicode61 remove_diacritics 2', detail=none, columnsize=0"
    )

    def feed(one_statement: bool) -> float:
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE texts (n INTEGER PRIMARY KEY, text TEXT)")
        conn.execute(f"CREATE VIRTUAL TABLE words USING fts5({definition})")
        if one_statement:
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO texts (text) VALUES (?)", [(t,) for t in texts])
            conn.execute("COMMIT")
        start = time.process_time()
        if one_statement:
            conn.execute("BEGIN")
            conn.execute("INSERT INTO words (rowid, text) SELECT n, text FROM texts")
            conn.execute("COMMIT")
        else:
            for n, text in enumerate(texts, 1):
                conn.execute("BEGIN")
                conn.execute("INSERT INTO words (rowid, text) VALUES (?, ?)", (n, text))
                conn.execute("COMMIT")
        cpu = time.process_time() - start
        conn.close()
        return cpu

    each = min(feed(False) for _ in range(3))
    once = min(feed(True) for _ in range(3))
    path.unlink(missing_ok=True)
    return each, once


def share(full: float, bare: float) -> str:
    return f"{(full - bare) / full:.0%}"


def drop_index(project: Project) -> None:
    with project.db.conn:
        for trigger in CORPUS_TRIGGERS:
            name = trigger.split()[2]
            project.db.execute(f"DROP TRIGGER {name}")
        project.db.execute("DROP TABLE corpus_text")
        project.db.execute("DROP TABLE corpus_documents")


def add_annotations(project: Project, rng: random.Random) -> None:
    """500,000 annotations of 1-12 words, in bulk (not timed)."""
    docs = project.documents(counts=False)
    cats = [c.id for c in project.categories()]
    coder = project.ensure_coder("Ana").id
    rows = []
    for d in docs:
        text = project.document_text(d.id)
        spans = [m.span() for m in re.finditer(r"\S+", text)]
        for _ in range(ANNOTATIONS // DOCS):
            first = rng.randrange(len(spans))
            start, end = spans[first][0], spans[min(len(spans) - 1, first + rng.randint(0, 11))][1]
            rows.append(
                {
                    "id": seeded_id(rng),
                    "document_id": d.id,
                    "coder_id": coder,
                    "category_id": rng.choice(cats),
                    "start": start,
                    "end": end,
                    "quote": text[start:end],
                    "memo": "",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
    with project.db.atomic():
        project.db["annotations"].insert_all(rows, batch_size=2000)


def measure(run: Callable[[], object], runs: int = RUNS) -> tuple[float, float, object]:
    times = []
    result: object = None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), result


def measure_cpu(run: Callable[[], object], runs: int = RUNS) -> float:
    """The least processor time of ``runs`` runs (the machine's load left out)."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def pick_words(project: Project) -> tuple[str, str]:
    """A made-up word found in 5-10 documents, and one found in every document."""
    seen: dict[str, set[str]] = {}
    for doc in project.documents(counts=False):
        for token in set(re.findall(r"\w+", project.document_text(doc.id).lower())):
            seen.setdefault(token, set()).add(doc.id)
    rare = sorted(
        w for w, d in seen.items() if 5 <= len(d) <= 10 and w.isascii() and w not in COMMON
    )
    return rare[len(rare) // 2], "minister"


def size_without(path: Path, drop: Callable[[sqlite3.Connection], None]) -> int:
    """The file's size after ``drop`` and VACUUM, on a copy."""
    copy = path.with_name("copy.annotator")
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    drop(conn)
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    size = copy.stat().st_size
    copy.unlink()
    return size


_CJK_RUN = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff]+")


def cjk_trigram_index(path: Path) -> tuple[float, int, int]:
    """The alternative for Korean, Japanese and Chinese: a trigram FTS5 table over only
    the runs of those scripts in each text (joined by spaces), built on a copy. Its
    processor seconds (the runs found in Python and indexed), the bytes it adds after
    VACUUM, and how many documents hold such runs."""
    copy = path.with_name("cjk.annotator")
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    before = copy.stat().st_size
    conn.execute("VACUUM")
    before = copy.stat().st_size
    rows = conn.execute(
        "SELECT c.n, d.text FROM corpus_documents c JOIN documents d ON d.id = c.document_id"
    ).fetchall()
    conn.execute(
        "CREATE VIRTUAL TABLE cjk USING fts5(text, content='', tokenize='trigram',"
        " detail=none, columnsize=0)"
    )
    started = time.process_time()
    holding = 0
    for n, text in rows:
        runs = " ".join(_CJK_RUN.findall(text))
        if runs:
            holding += 1
            conn.execute("INSERT INTO cjk (rowid, text) VALUES (?, ?)", (n, runs))
    conn.commit()
    cpu = time.process_time() - started
    conn.execute("VACUUM")
    conn.close()
    size = copy.stat().st_size - before
    copy.unlink()
    return cpu, size, holding


def alternative_size(path: Path, definition: str) -> int:
    """Size of a copy whose corpus index is built with another FTS5 ``definition``."""
    copy = path.with_name("alternative.annotator")
    shutil.copy(path, copy)
    conn = sqlite3.connect(copy)
    conn.execute(f"CREATE VIRTUAL TABLE alternative USING fts5({definition})")
    conn.execute(
        "INSERT INTO alternative (rowid, text) SELECT c.n, d.text"
        " FROM corpus_documents c JOIN documents d ON d.id = c.document_id"
    )
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    size = copy.stat().st_size
    copy.unlink()
    return size


def main() -> int:
    root = Path(_TMP.name)
    rng = random.Random(SEED)
    for line in machine():
        print(line)
    chars = write_files(root / "docs", rng)
    print(f"documents: {DOCS}, {chars / 1e6:.2f} M characters, annotations: {ANNOTATIONS:,}")

    # The index's share of the import: the same import with and without it, in pairs
    # (which goes first alternates), so that the machine's load weighs on both alike.
    with_index, without_index = [], []
    for run in range(IMPORT_PAIRS):
        for index in (True, False) if run % 2 == 0 else (False, True):
            name = f"with{run}" if index else f"bare{run}"
            timed = timed_import(root / f"{name}.annotator", root / "docs", index=index)
            (with_index if index else without_index).append(timed)
            if run:  # keep the first pair's files
                (root / f"{name}.annotator").unlink()
    for kind, column in (("wall-clock", 0), ("processor", 1)):
        full = [t[column] for t in with_index]
        bare = [t[column] for t in without_index]
        paired = statistics.median(f - b for f, b in zip(full, bare, strict=True))
        print(
            f"import ({kind}, {IMPORT_PAIRS} pairs): with the index min {min(full):.2f} s,"
            f" median {statistics.median(full):.2f} s; without it {min(bare):.2f} s,"
            f" {statistics.median(bare):.2f} s. The index's share: {share(min(full), min(bare))}"
            f" of the minima, {share(statistics.median(full), statistics.median(bare))} of the"
            f" medians, {paired / statistics.median(full):.0%} by the median of the pairs'"
            " differences (target ≤ 20 %)"
        )

    each, once = index_alone(root / "docs")
    bare_cpu = min(t[1] for t in without_index)
    print(
        f"the index's own work, outside the import (processor): {each * 1000:.0f} ms a document"
        f" a transaction ({each / (bare_cpu + each):.0%} of an import of {bare_cpu:.2f} s plus"
        f" it), {once * 1000:.0f} ms all in one statement"
    )

    path = root / "with0.annotator"
    with open_project(path) as project:
        # The migration's build for the same 500 documents.
        drop_index(project)
        gc.collect()
        start = time.perf_counter()
        with project.db.atomic():
            create_corpus_index(project.db)
        built = time.perf_counter() - start
        print(f"index build (the migration, 500 documents): {built * 1000:.0f} ms")
        add_annotations(project, rng)
    keep = os.environ.get("BENCH_CORPUS_KEEP")
    if keep:  # the built project, for profiling
        shutil.copy(path, keep)

    plain = size_without(path, lambda c: None)
    bare = size_without(
        path,
        lambda c: (c.execute("DROP TABLE corpus_text"), c.execute("DROP TABLE corpus_documents")),
    )
    texts = sqlite3.connect(path).execute("SELECT SUM(LENGTH(CAST(text AS BLOB))) FROM documents")
    text_bytes = texts.fetchone()[0]
    print(
        f"file: {plain / 1e6:.1f} MB, without the index {bare / 1e6:.1f} MB: the index adds"
        f" {(plain - bare) / 1e6:.2f} MB ({(plain - bare) / text_bytes:.0%} of the"
        f" {text_bytes / 1e6:.1f} MB of text)"
    )
    for label, definition in (
        ("trigram, detail=full", "text, content='', tokenize='trigram'"),
        ("unicode61 words", "text, content=''"),
    ):
        extra = alternative_size(path, definition) - plain
        print(f"  instead with {label}: {extra / 1e6:.2f} MB ({extra / text_bytes:.0%})")
    cjk_cpu, cjk_size, cjk_docs = cjk_trigram_index(path)
    print(
        f"  a second, trigram index of only the Korean/Japanese/Chinese runs: {cjk_size / 1e6:.2f}"
        f" MB, {cjk_cpu * 1000:.0f} ms of processor time ({cjk_docs} documents hold such runs)"
    )

    print(
        "\nsearch (ms; min and median of 7; 'window': hits without coded marks, then the"
        " marks of 40 shown rows;\n'script': coded marks of the first 1,000 hits; cpu:"
        " processor time of the window's search)"
    )
    print(
        f"{'query':40} {'window':>13} {'cpu':>5} {'script':>13}  {'hits (documents)':>17}  target"
    )
    with open_project(path) as project:
        rare, common = pick_words(project)
        korean_ids = tuple(
            d.id
            for d in project.documents(counts=False)
            if _CJK_RUN.search(project.document_text(d.id))
        )
        searches: list[tuple[str, str, bool, float]] = [
            ("rare word", rare, False, 0.1),
            ("common word", common, False, 0.1),
            ("phrase", '"extended deterrence"', False, 0.1),
            ("prefix", "secur*", False, 0.1),
            ("Korean word (inside words)", "북한", False, 0.1),
            ("Korean, inside a word", "한의", False, 0.1),
            ("two letters", "of", False, 0.1),
            ("regex", r"\b[Pp]resident\w*", True, 1.0),
            ("regex, any case", r"(?i)nuclear\s+talks", True, 1.0),
        ]
        for label, query, regex, target in searches:

            def window(q: str = query, r: bool = regex) -> object:
                result = project.search(q, regex=r, coded=False)
                shown = result.hits()[:40]
                for doc in {h.document_id for h in shown}:
                    project.coded_at(doc, [(h.start, h.end) for h in shown if h.document_id == doc])
                return result

            best, median, result = measure(window)
            cpu = measure_cpu(window)
            s_best, s_median, _ = measure(lambda q=query, r=regex: project.search(q, regex=r))
            if label.startswith("Korean"):  # read only where Korean is: what an index saves
                only = SearchFilters(document_ids=korean_ids)

                def narrowed(q: str = query, only: SearchFilters = only) -> object:
                    return project.search(q, coded=False, filters=only)

                n_best, n_median, _ = measure(narrowed)
                print(
                    f"  {query}: reading only the {len(korean_ids)} documents with Korean"
                    f" (a perfect index): {n_best * 1000:.0f} / {n_median * 1000:.0f} ms"
                )
            hits = f"{result.total:,} ({len(result.documents)})"  # type: ignore[attr-defined]
            verdict = "ok" if median <= target else "SLOWER THAN TARGET"
            print(
                f"{label + ': ' + query:40} {best * 1000:5.0f} {median * 1000:6.0f}"
                f" {cpu * 1000:5.0f} {s_best * 1000:5.0f} {s_median * 1000:6.0f}"
                f"  {hits:>17}  ≤ {target * 1000:.0f} ms {verdict}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
