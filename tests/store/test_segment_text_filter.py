"""The Coded Segments filter by text: read a few documents at a time, its first
rows shown before the rest are counted, and always the rows a plain filter in
Python finds (quote, memo or a text value holding the text, ASCII letters of any
case, other letters as they are), in the same order."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from annotator.core.codebook import Value
from annotator.core.segment_filter import SegmentFilter
from annotator.store.segments import SegmentReader
from tests.exporting.coded_example import build

WORDS = (
    "Treaty treaty TREATY treaties talks Talks 북한 북한의 한국은 Ünion ünion union "
    "naïve NAÏVE 100% a_b security Security of off"
).split()
NEEDLES = ("treaty", "TREATY", "talk", "북한", "한국", "ünion", "Ünion", "naïve", "NAÏ")
NEEDLES += ("%", "_", "f o")  # LIKE's wildcards are literal


def _fold(text: str) -> str:
    """Lower case for ASCII letters only (SQLite's LIKE)."""
    return "".join(c.lower() if c.isascii() else c for c in text)


def _random_project(project, rng: random.Random):
    stance = project.codebook().category("stance")
    note = project.add_attribute(stance.id, "Note", "text")
    docs = []
    for number in range(7):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 80)))
        docs.append(project.import_text(text, title=f"doc {number}"))
    expected: dict[str, list[str]] = {}  # annotation id → quote, memo and text value
    for doc in docs:
        text = project.document_text(doc.id)
        for _ in range(rng.randint(0, 25)):
            start = rng.randrange(len(text) - 1)
            end = rng.randint(start + 1, min(len(text), start + 25))
            category = rng.choice(("actor", "claim", "stance"))
            memo = rng.choice(WORDS) if rng.random() < 0.2 else ""
            values = []
            said = ""
            if category == "stance" and rng.random() < 0.3:
                said = rng.choice(WORDS)
                values = [Value(note.id, text=said)]
            ann = project.add_annotation(
                doc.id,
                start,
                end,
                category,
                coder=rng.choice(("Ana", "Bo")),
                memo=memo,
                values=values,
            )
            expected[ann.id] = [text[start:end], memo, said]
    return docs, expected


def _plain(project, docs, expected, f: SegmentFilter) -> list[str]:
    """The filter's rows by a plain reading in Python, in project order."""
    wanted = _fold(f.text)
    rows = []
    for position, doc in enumerate(docs):
        for ann in project.annotations(doc.id):
            if f.categories and ann.category not in f.categories:
                continue
            if f.coders and ann.coder not in f.coders:
                continue
            if any(wanted in _fold(part) for part in expected[ann.id]):
                rows.append((position, ann.start, ann.end, ann.id))
    rows.sort(reverse=f.descending)
    return [row[3] for row in rows]


@pytest.mark.parametrize("seed", [1, 2])
def test_text_filter_equals_a_plain_filter(project, seed):
    rng = random.Random(seed)
    docs, expected = _random_project(project, rng)
    reader = SegmentReader(project.path, project.codebook())
    filters = [SegmentFilter(text=needle) for needle in NEEDLES]
    filters += [
        SegmentFilter(text="treaty", categories=("stance",)),
        SegmentFilter(text="Talks", coders=("Bo",)),
        SegmentFilter(text="북한", descending=True),
    ]
    for f in filters:
        want = _plain(project, docs, expected, f)
        # Counted whole, and counted from a first few rows on, a little at a time.
        assert reader.apply(f) == len(want), f
        assert [s.annotation_id for s in reader.page(0, 1000)] == want, f
        shown = reader.apply(f, first_rows=3)
        assert [s.annotation_id for s in reader.page(0, 1000)] == want[:shown], f
        while not reader.complete:
            more = reader.count_more(seconds=0.0)
            assert more >= shown
            shown = more
            assert [s.annotation_id for s in reader.page(0, shown)] == want[:shown], f
        assert shown == len(want)
        for position in (0, len(want) // 2, len(want) - 1)[: len(want)]:
            assert reader.position_of(want[position]) == position
    reader.close()


def test_first_rows_then_the_rest(project):
    """A few documents are read first; the rows found keep their positions as the
    rest are counted, and pages() reads every row."""
    rng = random.Random(3)
    for number in range(40):
        project.import_text(f"The treaty {number} was signed. " * 3, title=f"doc {number}")
    for doc in project.documents(counts=False):
        project.add_annotation(doc.id, 4, 10, rng.choice(("claim", "stance")), coder="Ana")
        project.add_annotation(doc.id, 0, 3, "actor", coder="Ana")
    reader = SegmentReader(project.path, project.codebook())
    first = reader.apply(SegmentFilter(text="TREATY"), first_rows=2)
    assert 2 <= first < 40 and not reader.complete
    titles = [s.document for s in reader.page(0, first)]
    assert titles == [f"doc {n}" for n in range(first)]
    assert sum(len(page) for page in reader.pages()) == 40
    assert reader.complete and reader.count == 40
    reader.close()


def test_text_with_an_actor_an_issue_or_incomplete(project):
    """Those filters start from the annotations they name; with a text they keep
    the ones the text alone lets through, in the same order."""
    ex = build(project)
    issue = project.codebook().attribute("claim", "issue").choices[0]
    reader = SegmentReader(project.path, project.codebook())

    def ids(f: SegmentFilter) -> list[str]:
        reader.apply(f)
        return [s.annotation_id for s in reader.page(0, 100)]

    named = (
        SegmentFilter(actor=ex.putin.id),
        SegmentFilter(issue=issue.id),
        SegmentFilter(incomplete=True),
        SegmentFilter(incomplete=False),
    )
    for first in named:
        for f in (first, replace(first, descending=True)):
            for text in ("the", "PUTIN", "Treaty", "zzz"):
                held = set(ids(SegmentFilter(text=text)))
                assert ids(replace(f, text=text)) == [i for i in ids(f) if i in held]
    assert ids(SegmentFilter(actor=ex.putin.id, text="OUTRIGHT")) == [ex.oppose.id]
    reader.close()
