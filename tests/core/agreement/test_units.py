"""Matching coders' spans into units: the rule stated in core/agreement/units.py."""

from __future__ import annotations

import random

from annotator.core.agreement.units import CodedSpan, MatchRule, Unit, match_units, overlap_ratio


def span(aid: str, coder: str, start: int, end: int, category: str = "claim", doc: str = "d1"):
    return CodedSpan(aid, coder, doc, category, start, end, {"a": aid})


def groups(units: list[Unit]) -> list[set[str]]:
    return [{s.annotation_id for s in u.spans.values()} for u in units]


def test_overlap_ratio_is_shared_over_union():
    assert overlap_ratio(span("a", "x", 0, 10), span("b", "y", 5, 15)) == 5 / 15
    assert overlap_ratio(span("a", "x", 0, 10), span("b", "y", 10, 15)) == 0.0
    assert overlap_ratio(span("a", "x", 0, 10), span("b", "y", 0, 10)) == 1.0


def test_two_coders_best_pair_first_and_one_to_one():
    # b1 overlaps a1 by 8/11 and a2 by 9/10: the better pair (a2, b1) wins; a1 stays alone.
    spans = [span("a1", "ann", 0, 10), span("a2", "ann", 2, 12), span("b1", "bob", 2, 11)]
    units = match_units(spans, ["ann", "bob"])
    assert groups(units) == [{"a1"}, {"a2", "b1"}]
    assert units[1].spans["bob"].annotation_id == "b1"
    assert units[0].coders == ("ann",)


def test_below_threshold_stays_apart_and_threshold_is_adjustable():
    spans = [span("a1", "ann", 0, 10), span("b1", "bob", 6, 16)]  # 4/16 = 25 %
    assert groups(match_units(spans, ["ann", "bob"])) == [{"a1"}, {"b1"}]
    loose = match_units(spans, ["ann", "bob"], MatchRule(min_overlap=0.25))
    assert groups(loose) == [{"a1", "b1"}]


def test_exactly_half_matches():
    spans = [span("a1", "ann", 0, 10), span("b1", "bob", 0, 5)]  # 5/10
    assert groups(match_units(spans, ["ann", "bob"])) == [{"a1", "b1"}]


def test_categories_and_documents_never_mix():
    spans = [
        span("a1", "ann", 0, 10),
        span("b1", "bob", 0, 10, category="actor"),
        span("c1", "cat", 0, 10, doc="d2"),
    ]
    units = match_units(spans, ["ann", "bob", "cat"])
    assert len(units) == 3
    assert [(u.document_id, u.category) for u in units] == [
        ("d1", "actor"),
        ("d1", "claim"),
        ("d2", "claim"),
    ]


def test_same_coder_spans_never_share_a_unit():
    spans = [span("a1", "ann", 0, 10), span("a2", "ann", 0, 10), span("b1", "bob", 0, 10)]
    units = match_units(spans, ["ann", "bob"])
    assert sorted(map(sorted, groups(units))) == [["a1", "b1"], ["a2"]]  # tie: lower id first


def test_three_coders_join_only_when_every_pair_meets_the_rule():
    # a-b 8/12, b-c 8/12, a-c only 6/14: the tie goes to the earlier pair (a, b), and c
    # cannot join them.
    spans = [span("a", "ann", 0, 10), span("b", "bob", 2, 12), span("c", "cat", 4, 14)]
    units = match_units(spans, ["ann", "bob", "cat"])
    assert groups(units) == [{"a", "b"}, {"c"}]
    full = [span("a", "ann", 0, 10), span("b", "bob", 1, 10), span("c", "cat", 0, 9)]
    assert groups(match_units(full, ["ann", "bob", "cat"])) == [{"a", "b", "c"}]


def test_coders_not_chosen_are_left_out():
    spans = [span("a1", "ann", 0, 10), span("b1", "bob", 0, 10), span("c1", "cat", 0, 10)]
    units = match_units(spans, ["ann", "cat"])
    assert groups(units) == [{"a1", "c1"}]


def test_key_is_sorted_ids_and_units_hash():
    unit = match_units([span("z", "ann", 0, 4), span("b", "bob", 0, 4)], ["ann", "bob"])[0]
    assert unit.key == "b+z"
    assert {unit, unit} == {unit}
    assert hash(span("a", "x", 0, 1)) == hash(span("a", "x", 0, 1))


def test_every_span_in_exactly_one_unit_and_deterministic():
    rng = random.Random(7)
    spans = []
    for n in range(300):
        start = rng.randrange(0, 500)
        spans.append(
            span(
                f"id{n}",
                rng.choice(["ann", "bob", "cat", "dan"]),
                start,
                start + rng.randrange(1, 40),
                category=rng.choice(["claim", "actor"]),
                doc=rng.choice(["d1", "d2"]),
            )
        )
    coders = ["ann", "bob", "cat", "dan"]
    units = match_units(spans, coders)
    ids = [s.annotation_id for u in units for s in u.spans.values()]
    assert sorted(ids) == sorted(s.annotation_id for s in spans)
    for unit in units:
        members = list(unit.spans.values())
        assert all(s.coder == c for c, s in unit.spans.items())
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                assert overlap_ratio(a, b) >= 0.5
    assert [u.key for u in match_units(list(reversed(spans)), coders)] == [u.key for u in units]
    keys = [(u.document_id, u.start, u.category) for u in units]
    assert keys == sorted(keys)


def test_pair_disagreement_reads_every_section_pair_as_distance_does():
    """The written-out loop of alpha_u's observed disagreement against the rule per pair
    of overlapping sections, on random coders."""
    import random

    from annotator.core.agreement.unitizing import (
        _distance,
        _sections,
        _units_disagreement,
        join_overlaps,
    )

    rng = random.Random(18)
    for _ in range(200):
        length = rng.randint(1, 60)
        coders = []
        for _coder in range(2):
            spans = []
            for _span in range(rng.randint(0, 6)):
                start = rng.randrange(length)
                spans.append((start, rng.randint(start + 1, length)))
            coders.append(join_overlaps(spans))
        a, b = (_sections(own, length) for own in coders)
        naive = sum(_distance(g, h) for g in a for h in b if g[0] < h[1] and h[0] < g[1])
        assert _units_disagreement(*coders) == naive
