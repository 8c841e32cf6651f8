"""``segments`` and ``looks`` against brute force on random spans (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.intervals import IntervalIndex, Look, Span, looks, segments

CATEGORIES = ("actor", "claim", "stance")


@st.composite
def spans_and_range(draw: st.DrawFn) -> tuple[list[Span], int, int, frozenset[str]]:
    """Up to 15 spans in 0..80 (nested, crossing, equal, touching), a range to cut
    and some of the spans marked."""
    spans = []
    for i in range(draw(st.integers(0, 15))):
        a = draw(st.integers(0, 80))
        b = draw(st.integers(a + 1, a + 40))
        spans.append(Span(a, b, draw(st.sampled_from(CATEGORIES)), f"s{i:02d}"))
    start = draw(st.integers(0, 90))
    end = draw(st.integers(start + 1, start + 60))
    marked = frozenset(s.id for s in spans if draw(st.booleans()))
    return spans, start, end, marked


def _brute_segments(spans: list[Span], start: int, end: int) -> list[tuple[int, int, list[Span]]]:
    cuts = sorted({start, end, *(p for s in spans for p in (s.start, s.end) if start < p < end)})
    result = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= a and s.end >= b]
        if covering:
            covering.sort(key=lambda s: (-(s.end - s.start), s.start, s.id))
            result.append((a, b, covering))
    return result


def _brute_looks(
    spans: list[Span], start: int, end: int, marked: frozenset[str]
) -> list[tuple[int, int, Look]]:
    """The look of every single character, then equal neighbours joined."""
    runs: list[tuple[int, int, Look]] = []
    for x in range(start, end):
        covering = [s for s in spans if s.start <= x < s.end]
        if not covering:
            continue
        covering.sort(key=lambda s: (-(s.end - s.start), s.start, s.id))
        inner, outer = covering[-1], covering[0]
        any_marked = any(s.id in marked for s in covering)
        look = (
            inner.category,
            outer.category if len(covering) > 1 else None,
            any_marked,
            inner.id in marked,
        )
        if runs and runs[-1][1] == x and runs[-1][2] == look:
            runs[-1] = (runs[-1][0], x + 1, look)
        else:
            runs.append((x, x + 1, look))
    return runs


@settings(max_examples=400, deadline=None)
@given(spans_and_range())
def test_segments_match_brute_force(case: tuple[list[Span], int, int, frozenset[str]]) -> None:
    spans, start, end, _marked = case
    inside = IntervalIndex(spans).overlapping(start, end)
    assert segments(inside, start, end) == _brute_segments(inside, start, end)


@settings(max_examples=400, deadline=None)
@given(spans_and_range())
def test_neither_the_order_of_the_spans_nor_those_outside_matter(
    case: tuple[list[Span], int, int, frozenset[str]],
) -> None:
    spans, start, end, _marked = case
    inside = [s for s in spans if s.start < end and s.end > start]
    assert segments(spans[::-1], start, end) == segments(inside, start, end)
    assert looks(spans[::-1], start, end) == looks(inside, start, end)


@settings(max_examples=400, deadline=None)
@given(spans_and_range())
def test_looks_match_every_character(case: tuple[list[Span], int, int, frozenset[str]]) -> None:
    spans, start, end, marked = case
    inside = IntervalIndex(spans).overlapping(start, end)
    assert looks(inside, start, end, marked) == _brute_looks(inside, start, end, marked)


def test_looks_of_nested_and_crossing_spans() -> None:
    claim = Span(0, 20, "claim", "c")  # around the actor, crossing the stance
    actor = Span(5, 10, "actor", "a")
    stance = Span(15, 30, "stance", "s")
    assert looks([claim, actor, stance], 0, 40) == [
        (0, 5, ("claim", None, False, False)),
        (5, 10, ("actor", "claim", False, False)),
        (10, 15, ("claim", None, False, False)),
        (15, 20, ("stance", "claim", False, False)),  # the shorter one is inner
        (20, 30, ("stance", None, False, False)),
    ]
    marked = looks([claim, actor, stance], 0, 12, frozenset({"c"}))
    assert marked == [
        (0, 5, ("claim", None, True, True)),
        (5, 10, ("actor", "claim", True, False)),
        (10, 12, ("claim", None, True, True)),
    ]


def test_looks_join_neighbours_that_look_the_same() -> None:
    first, second = Span(0, 5, "actor", "a"), Span(5, 9, "actor", "b")
    assert looks([first, second], 0, 9) == [(0, 9, ("actor", None, False, False))]
    assert looks([first, Span(6, 9, "actor", "b")], 0, 9) == [
        (0, 5, ("actor", None, False, False)),
        (6, 9, ("actor", None, False, False)),
    ]
