"""Every measure against the figure its published example gives, to three decimals."""

from __future__ import annotations

from collections import Counter

import pytest

from annotator.core.agreement.alpha import coincidences, krippendorff_alpha
from annotator.core.agreement.kappa import cohen_kappa, fleiss_kappa, gwet_ac1, percent_agreement
from annotator.core.agreement.unitizing import (
    concatenate,
    join_overlaps,
    pooled_unitizing_alpha,
    unitizing_alpha,
)

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers
# (rows) x 12 units (columns), missing values as N. The same data are Gwet (2014),
# Handbook of Inter-Rater Reliability, 4th ed., p. 120 (irrCAC's cac.raw4raters).
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]
UNITS = list(zip(*OBSERVERS, strict=True))


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_example(level, published):
    result = krippendorff_alpha(UNITS, level)
    assert round(result.value, 3) == published
    assert result.units == 11  # unit 12 has one value: not pairable
    assert result.values == 40


def test_krippendorff_2011_coincidences():
    # The margins printed in the paper: n_1..n_5 = 9, 13, 10, 5, 3; n = 40.
    matrix, pairable = coincidences(UNITS)
    assert pairable == 11
    assert all(matrix[(c, k)] == pytest.approx(matrix[(k, c)]) for c, k in matrix)
    margins = Counter()
    for (c, _k), o in matrix.items():
        margins[c] += o
    assert {c: round(n, 6) for c, n in margins.items()} == {1: 9, 2: 13, 3: 10, 4: 5, 5: 3}


def test_gwet_2014_four_raters_ac1():
    # Gwet (2014), p. 120 data: AC1 = 0.775 (chance agreement 0.1903), percent agreement
    # 0.818 over the 11 units rated twice or more, as irrCAC's gwet.ac1.raw reports.
    assert round(gwet_ac1(UNITS).value, 3) == 0.775
    assert round(percent_agreement(UNITS).value, 3) == 0.818


# Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed.: two abstractors classify 100
# pregnancies (Ectopic, AIU, NIU); Cohen's kappa 0.796, AC1 0.849, percent agreement 0.89.
ABSTRACTORS = {
    ("E", "E"): 13,
    ("A", "A"): 20,
    ("A", "N"): 7,
    ("N", "A"): 4,
    ("N", "N"): 56,
}
PAIRS = [pair for pair, n in ABSTRACTORS.items() for _ in range(n)]


def test_cohen_kappa_textbook_example():
    result = cohen_kappa(PAIRS)
    assert round(result.value, 3) == 0.796
    assert result.units == 100
    assert round(gwet_ac1(PAIRS).value, 3) == 0.849
    assert percent_agreement(PAIRS).value == pytest.approx(0.89)
    # The same table as Krippendorff's nominal alpha: 0.797 (irrCAC's krippen2.table).
    assert round(krippendorff_alpha(PAIRS).value, 3) == 0.797


def test_cohen_kappa_sas_example():
    # SAS PROC FREQ's agreement example (as statsmodels tests it): kappa 0.4842.
    table = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
    pairs = [(i, j) for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)]
    assert cohen_kappa(pairs).value == pytest.approx(0.4842, abs=5e-5)


# Fleiss (1971), Psychological Bulletin 76, 378-382, Table 1: 30 patients, 6 psychiatrists,
# 5 diagnoses; kappa = 0.430. Rows: how many psychiatrists gave diagnosis 1..5.
FLEISS_1971 = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
]  # fmt: skip


def test_fleiss_1971_example():
    units = [[k for k, n in enumerate(row) for _ in range(n)] for row in FLEISS_1971]
    assert all(len(u) == 6 for u in units)
    result = fleiss_kappa(units)
    assert round(result.value, 3) == 0.430
    assert result.units == 30


def _k2004(spans):
    # Krippendorff (2004), Content Analysis, p. 254: the continuum runs from 150 to 450.
    return [(offset - 150, offset - 150 + length) for offset, length in spans]


def test_krippendorff_2004_unitizing_example():
    c = unitizing_alpha(
        [_k2004([(225, 70), (370, 30)]), _k2004([(220, 80), (355, 20), (400, 20)])], 300
    )
    k = unitizing_alpha([_k2004([(180, 60), (300, 50)]), _k2004([(180, 60), (300, 50)])], 300)
    assert round(c.observed, 4) == 0.0144
    assert round(c.expected, 4) == 0.0532
    assert round(c.value, 3) == 0.729  # 0.7286
    assert k.observed == 0 and round(k.expected, 4) == 0.0490 and k.value == 1.0
    assert round(pooled_unitizing_alpha([c, k]), 3) == 0.859


def test_unitizing_edge_cases():
    assert unitizing_alpha([[], []], 100).value is None  # nothing marked: undefined
    assert unitizing_alpha([[(0, 10)], [(0, 10)]], 100).value == 1.0
    # One coder marks, the other does not: no agreement beyond chance at best.
    assert unitizing_alpha([[(10, 20)], []], 100).value < 0.5
    assert join_overlaps([(5, 10), (0, 6), (20, 30), (30, 31)]) == [(0, 10), (20, 30), (30, 31)]
    with pytest.raises(ValueError):
        unitizing_alpha([[(90, 120)], []], 100)


def test_concatenated_documents_are_one_continuum():
    joined, length = concatenate([("d1", 100), ("d2", 50)], {"d2": [(0, 10)], "d1": [(5, 9)]})
    assert joined == [(5, 9), (100, 110)] and length == 150


def test_undefined_when_no_variation():
    assert krippendorff_alpha([[1, 1], [1, 1]]).value is None
    assert krippendorff_alpha([[1, None], [2, None]]).value is None
    assert cohen_kappa([("a", "a"), ("a", "a")]).value is None
    assert fleiss_kappa([[None, 1]]).value is None
    assert gwet_ac1([]).units == 0


def test_ratio_alpha_refuses_negative_values():
    """(a - b) / (a + b) means nothing across zero: -1 and 1 came out as agreeing."""
    with pytest.raises(ValueError, match="zero or more"):
        krippendorff_alpha([[-1, 1], [-1, 1], [2, 2], [3, 3]], "ratio")
    assert krippendorff_alpha([[0, 1], [1, 1], [2, 2], [3, 3]], "ratio").value is not None
