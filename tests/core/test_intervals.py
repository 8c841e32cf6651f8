import random

from annotator.core.intervals import BUCKET, IntervalIndex, Span, segments


def _brute(spans, start, end):
    return {s.id for s in spans if s.start < end and s.end > start}


def test_overlapping_matches_brute_force():
    rng = random.Random(7)
    spans = []
    for i in range(500):
        a = rng.randrange(0, 20_000)
        spans.append(Span(a, a + rng.randrange(1, 3 * BUCKET), "actor", f"s{i}"))
    index = IntervalIndex(spans)
    for _ in range(200):
        a = rng.randrange(0, 22_000)
        b = a + rng.randrange(1, 3000)
        assert {s.id for s in index.overlapping(a, b)} == _brute(spans, a, b)
        touching = [s.id for s in index.touching(a, b)]
        assert sorted(touching) == sorted(_brute(spans, a, b))


def test_remove_takes_span_out_of_every_bucket():
    long = Span(0, 5 * BUCKET, "claim", "long")
    index = IntervalIndex([long, Span(10, 20, "actor", "short")])
    assert index.remove("long") == long
    assert [s.id for s in index.overlapping(0, 6 * BUCKET)] == ["short"]
    assert index.remove("missing") is None
    assert len(index) == 1


def test_segments_show_every_overlap():
    outer = Span(0, 10, "claim", "c")
    inner = Span(3, 6, "actor", "a")
    result = segments([outer, inner], 0, 12)
    assert [(a, b, [s.id for s in cov]) for a, b, cov in result] == [
        (0, 3, ["c"]),
        (3, 6, ["c", "a"]),
        (6, 10, ["c"]),
    ]


def _segments_brute(spans, start, end):
    cuts = sorted({start, end, *(p for s in spans for p in (s.start, s.end) if start < p < end)})
    result = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= a and s.end >= b]
        if covering:
            covering.sort(key=lambda s: (-(s.end - s.start), s.start, s.id))
            result.append((a, b, covering))
    return result


def test_segments_sweep_matches_brute_force():
    rng = random.Random(11)
    for _ in range(300):
        spans = []
        for i in range(rng.randrange(0, 12)):
            a = rng.randrange(0, 60)
            spans.append(Span(a, a + rng.randrange(1, 30), "actor", f"s{i}"))
        start = rng.randrange(0, 50)
        end = start + rng.randrange(1, 40)
        inside = [s for s in spans if s.start < end and s.end > start]
        assert segments(inside, start, end) == _segments_brute(inside, start, end)
