"""Alpha against an independent implementation on random data.

The ``krippendorff`` package (GPL-3) is a test-only oracle: the app does not depend on it.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement.alpha import LEVELS, krippendorff_alpha

krippendorff = pytest.importorskip("krippendorff")
np = pytest.importorskip("numpy")


@st.composite
def reliability_data(draw: st.DrawFn) -> list[list[int | None]]:
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(2, 15))
    values = draw(st.integers(2, 6))
    cell = st.one_of(st.none(), st.integers(1, values))
    return [[draw(cell) for _ in range(units)] for _ in range(coders)]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@settings(max_examples=150, deadline=None)
@given(reliability_data(), st.sampled_from(LEVELS))
def test_alpha_agrees_with_the_krippendorff_package(data, level):
    units = list(zip(*data, strict=True))
    ours = krippendorff_alpha(units, level)
    matrix = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    domain = sorted({v for row in data for v in row if v is not None})
    if len(domain) < 2:
        assert ours.value is None
        return
    try:
        theirs = krippendorff.alpha(
            reliability_data=matrix, level_of_measurement=level, value_domain=domain
        )
    except ValueError:  # the package refuses data with fewer than two pairable values
        assert ours.value is None
        return
    if ours.value is None:
        assert math.isnan(theirs) or ours.expected == 0
        return
    assert ours.value == pytest.approx(float(theirs), abs=1e-9)
