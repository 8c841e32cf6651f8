"""The agreement report over a real project file: figures worked out by hand."""

from __future__ import annotations

import pytest

from annotator.core.agreement.report import (
    AC1,
    ALPHA,
    COHEN,
    FLEISS,
    MATCHED,
    PAIR,
    PERCENT,
    POOLED,
    UNITIZING,
    build_report,
)
from annotator.store.agreement_reads import read_agreement_source
from tests.agreement_project import build


def pick(report, measure, category, attribute="", level="", scope=POOLED, coders=None):
    found = [
        f
        for f in report.figures
        if f.scope == scope
        and f.measure == measure
        and f.category == category
        and f.attribute == attribute
        and f.level == level
        and (coders is None or f.coders == coders)
    ]
    assert len(found) == 1, found
    return found[0]


def test_two_coders(tmp_path):
    project, ids = build(tmp_path / "p.annotator")
    with project:
        report = build_report(read_agreement_source(project))
    assert report.coders == ("ann", "bob")
    assert report.documents == [ids["doc"]]  # the second document only ann coded
    # Stances: 4 matched units and ann's fifth alone; polarity pairs (s,s) (o,s) (s,s) (o,o).
    matched = pick(report, MATCHED, "stance")
    assert (matched.units_paired, matched.units_total, matched.value) == (4, 5, 0.8)
    # Cohen: p_o = 3/4, p_e = (2*3 + 2*1) / 16 = 1/2, kappa = 1/2.
    kappa = pick(report, COHEN, "stance", "polarity", "nominal")
    assert kappa.value == pytest.approx(0.5) and kappa.units_paired == 4
    assert kappa.units_total == 5
    # Alpha: n = 8 values (support 5, oppose 3), one disagreeing unit: 1 - 7 * 2 / (2 * 15).
    assert pick(report, ALPHA, "stance", "polarity", "nominal").value == pytest.approx(1 - 14 / 30)
    # On the codes (+1, -1) the same, interval or ordinal with two values.
    assert pick(report, ALPHA, "stance", "polarity", "interval").value == pytest.approx(1 - 14 / 30)
    assert pick(report, PERCENT, "stance", "polarity", "nominal").value == pytest.approx(0.75)
    assert not [f for f in report.figures if f.measure == FLEISS]
    # The claimant: ann through her mention of Merkel, bob through the registry: alike.
    claimant = pick(report, PERCENT, "claim", "claimant", "nominal")
    assert claimant.value == 1.0 and claimant.units_paired == 1
    assert pick(report, PERCENT, "claim", "stance_polarity", "nominal").value == 1.0
    assert pick(report, PERCENT, "claim", "claim_record", "nominal").value == 1.0
    # The same actor span by both: unitizing alpha 1.
    assert pick(report, UNITIZING, "actor").value == pytest.approx(1.0)
    assert pick(report, UNITIZING, "stance").value < 1.0
    # A figure's units: the five stance units, one of them ann's alone.
    units = report.units_for(kappa)
    assert len(units) == 5 and sum(len(u.spans) == 1 for u in units) == 1
    assert {f.scope for f in report.figures} == {POOLED, "document"}


def test_three_coders_pairs_and_fleiss(tmp_path):
    project, ids = build(tmp_path / "p.annotator", ("ann", "bob", "cat"))
    with project:
        report = build_report(read_agreement_source(project))
        chosen = build_report(read_agreement_source(project, ["bob", "cat"]), ["bob", "cat"])
    fleiss = pick(report, FLEISS, "stance", "polarity", "nominal")
    assert fleiss.units_paired == 4 and fleiss.coders == ("ann", "bob", "cat")
    pair = pick(report, COHEN, "stance", "polarity", "nominal", scope=PAIR, coders=("ann", "cat"))
    # ann (s,o,s,o) against cat (s,o,s,s): p_o = 3/4, p_e = (2*3 + 2*1)/16: kappa 1/2.
    assert pair.value == pytest.approx(0.5)
    assert len([f for f in report.figures if f.scope == PAIR and f.measure == COHEN]) > 0
    assert pick(report, AC1, "stance", "polarity", "nominal").value is not None
    assert chosen.coders == ("bob", "cat")
    assert pick(chosen, MATCHED, "stance").units_total == 4  # ann's fifth is not theirs


def test_unknown_coder_is_refused(tmp_path):
    project, _ids = build(tmp_path / "p.annotator")
    with project, pytest.raises(ValueError, match="No coder named zed"):
        build_report(read_agreement_source(project), ["ann", "zed"])


def test_one_coder_has_nothing_to_compare(tmp_path):
    project, _ids = build(tmp_path / "p.annotator", ("ann",))
    with project:
        report = build_report(read_agreement_source(project))
    assert report.documents == [] and report.figures == [] and report.units == []
