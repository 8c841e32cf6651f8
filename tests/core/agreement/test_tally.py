"""The report's one-pass counts give what the separate measures give, and add up."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement.alpha import krippendorff_alpha
from annotator.core.agreement.kappa import fleiss_kappa, gwet_ac1, percent_agreement
from annotator.core.agreement.tally import Coincidences, NominalTally

units_strategy = st.lists(
    st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=4, max_size=4), max_size=25
)


def same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a == pytest.approx(b, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(units_strategy, st.integers(0, 25))
def test_tally_equals_the_measures_and_adds_up(units, cut):
    whole, first, second = NominalTally(), NominalTally(), NominalTally()
    matrix = Coincidences()
    for n, unit in enumerate(units):
        present = [v for v in unit if v is not None]
        whole.add(present, 1)
        (first if n < cut else second).add(present, 1)
        matrix.add(present, 1)
    first.merge(second)
    for tally in (whole, first):
        assert same(tally.alpha().value, krippendorff_alpha(units).value)
        assert same(tally.percent().value, percent_agreement(units).value)
        assert same(tally.fleiss().value, fleiss_kappa(units).value)
        assert same(tally.ac1().value, gwet_ac1(units).value)
        assert tally.percent().units == percent_agreement(units).units
    for level in ("nominal", "ordinal", "interval"):
        assert same(matrix.alpha(level).value, krippendorff_alpha(units, level).value)


from annotator.core.agreement.unitizing import (  # noqa: E402
    alpha_from_sums,
    concatenate,
    join_overlaps,
    pair_sums,
    unitizing_alpha,
)

span = st.tuples(st.integers(0, 59), st.integers(1, 20)).map(lambda s: (s[0], min(60, s[0] + s[1])))
coder_spans = st.lists(st.lists(span, max_size=5), min_size=2, max_size=4)


@settings(max_examples=150, deadline=None)
@given(coder_spans, coder_spans.map(lambda x: x))
def test_unitizing_sums_per_document_add_up_to_the_laid_end_to_end_continuum(first, second):
    m = min(len(first), len(second))
    first, second = first[:m], second[:m]
    docs = [("d1", 60), ("d2", 60)]
    laid = [concatenate(docs, {"d1": a, "d2": b})[0] for a, b in zip(first, second, strict=True)]
    direct = unitizing_alpha(laid, 120)
    joined = [[join_overlaps(s) for s in doc] for doc in (first, second)]
    observed = sum(sum(pair_sums(j, 60).values()) for j in joined)
    units = [j1 + [(60 + s, 60 + e) for s, e in j2] for j1, j2 in zip(*joined, strict=True)]
    summed = alpha_from_sums(observed, units, 120)
    assert summed.observed == pytest.approx(direct.observed)
    assert summed.expected == pytest.approx(direct.expected)


row_strategy = st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=4, max_size=4)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(row_strategy, st.integers(1, 3)), max_size=30))
def test_rows_added_at_once_equal_one_by_one_bit_for_bit(rows):
    one, many = NominalTally(), NominalTally()
    for row, weight in rows:
        one.add([v for v in row if v is not None], weight)
    many.add_rows(rows)
    for name in ("present", "pairable", "disagreement", "agreeing"):
        assert getattr(many, name) == getattr(one, name)
    assert list(many.margins.items()) == list(one.margins.items())
    assert list(many.shares.items()) == list(one.shares.items())
