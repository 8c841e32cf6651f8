"""Two coders' counts taken whole equal the unit-by-unit tallies to the last bit: the
same floats, the dicts in the same order (the report's files stay byte-identical)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement.kappa import weighted_cohen_kappa
from annotator.core.agreement.paired import TwoCoders
from annotator.core.agreement.tally import Coincidences, NominalTally

value = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "e"]))
columns = st.lists(st.tuples(value, value), max_size=40)
CODES = {"a": -1.0, "b": 0.0, "c": 1.0, "d": None, "e": 2.0, None: None}


def one_by_one(rows, codes=None):
    """As the report adds them up: each distinct row once, weighted, in first order."""
    nominal, matrix = NominalTally(), Coincidences()
    for row, n in Counter(rows).items():
        nominal.add([v for v in row if v is not None], n)
        coded = [codes[v] for v in row] if codes else []
        matrix.add([v for v in coded if v is not None], n)
    return nominal, matrix


@settings(max_examples=150, deadline=None)
@given(columns)
def test_whole_counts_equal_the_tallies_bit_for_bit(rows):
    first, second = [a for a, _b in rows], [b for _a, b in rows]
    both = TwoCoders(first, second)
    expected, matrix = one_by_one(rows, CODES)
    got = both.nominal_tally()
    for name in ("disagreement", "pairable", "agreeing", "present"):
        assert getattr(got, name) == getattr(expected, name)
    assert list(got.shares.items()) == list(expected.shares.items())  # order matters (AC1)
    assert got.margins == expected.margins
    assert (got.alpha(), got.percent(), got.ac1()) == (
        expected.alpha(),
        expected.percent(),
        expected.ac1(),
    )
    coincidences = both.coincidences(CODES)
    assert list(coincidences.matrix.items()) == list(matrix.matrix.items())
    assert coincidences.pairable == matrix.pairable
    for level in ("ordinal", "interval"):
        assert coincidences.alpha(level) == matrix.alpha(level)
    assert both.cohen_kappa() == weighted_cohen_kappa(Counter(rows).items())


def test_no_pair_at_all():
    both = TwoCoders(["a", None], [None, None])
    assert both.cohen_kappa().value is None
    assert both.nominal_tally().alpha().value is None
    assert both.nominal_tally().shares == {"a": 1.0}
