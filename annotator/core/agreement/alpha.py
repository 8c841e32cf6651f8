"""Krippendorff's alpha over a coincidence matrix of pairable values.

Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
Communication, University of Pennsylvania. With ``o_ck`` the coincidences of values c and
k (each unit with m_u >= 2 values adds 1 / (m_u - 1) for every ordered pair of its values
from different coders), ``n_c`` their margins and ``n`` the number of pairable values:

    alpha = 1 - (n - 1) * sum_ck o_ck d2(c, k) / sum_ck n_c n_k d2(c, k)

with the squared distance ``d2`` of the level: nominal (0 if equal, else 1), ordinal
((sum of n_g for g from c to k) - (n_c + n_k) / 2) ** 2 over the values in order),
interval ((c - k) ** 2) and ratio (((c - k) / (c + k)) ** 2). Units with fewer than two
values are not pairable and are left out. Alpha is undefined (None) when fewer than two
values are pairable or when all pairable values are the same (no expected disagreement).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True)
class AlphaResult:
    """Alpha with what it rests on: pairable units and pairable values."""

    value: float | None
    units: int  # pairable units (two or more values)
    values: int  # pairable values (n)
    observed: float  # observed disagreement D_o (0 when nothing is pairable)
    expected: float  # expected disagreement D_e


Weighted = Iterable[tuple[Sequence[Hashable | None], float]]


def coincidences(
    units: Iterable[Sequence[Hashable | None]],
) -> tuple[dict[tuple[Hashable, Hashable], float], int]:
    """The coincidence matrix (sparse) and the number of pairable units."""
    matrix, pairable = weighted_coincidences((unit, 1) for unit in units)
    return matrix, round(pairable)


def weighted_coincidences(
    units: Weighted,
) -> tuple[dict[tuple[Hashable, Hashable], float], float]:
    """As :func:`coincidences`, each unit counted ``weight`` times (identical units are
    counted once and weighed: a report's units repeat the same few values)."""
    matrix: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    pairable = 0.0
    for unit, times in units:
        present = [v for v in unit if v is not None]
        m = len(present)
        if m < 2 or not times:
            continue
        pairable += times
        counts = Counter(present)
        weight = times / (m - 1)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[(c, k)] += pairs * weight
    return dict(matrix), pairable


def _number(value: object) -> float:
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"interval and ratio alpha need numbers, not {value!r}")


def _distance(level: Level, margins: dict[Hashable, float]) -> Callable[[object, object], float]:
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "interval":
        return lambda c, k: (_number(c) - _number(k)) ** 2
    if level == "ratio":
        negative = [v for v in margins if _number(v) < 0]
        if negative:  # (a - b) / (a + b) means nothing across zero: -1 and 1 "agreed"
            raise ValueError(
                f"ratio alpha needs values of zero or more, not {negative[0]!r}"
                " (a scale with negative values is interval)"
            )

        def ratio(c: object, k: object) -> float:
            a, b = _number(c), _number(k)
            return 0.0 if a + b == 0 else ((a - b) / (a + b)) ** 2

        return ratio
    ordered = sorted(margins)  # type: ignore[type-var]
    cumulative: dict[Hashable, float] = {}
    total = 0.0
    for value in ordered:
        total += margins[value]
        cumulative[value] = total  # sum of n_g for g <= value

    def ordinal(c: object, k: object) -> float:
        if c == k:
            return 0.0
        low, high = (c, k) if cumulative[c] <= cumulative[k] else (k, c)
        between = cumulative[high] - cumulative[low] + margins[low]
        return (between - (margins[low] + margins[high]) / 2) ** 2

    return ordinal


def krippendorff_alpha(
    units: Iterable[Sequence[Hashable | None]], level: Level = "nominal"
) -> AlphaResult:
    """Alpha over units, each the values its coders gave (None: that coder gave none).

    Ordinal values must be comparable with each other; interval and ratio values numbers.
    """
    return weighted_alpha(((unit, 1) for unit in units), level)


def weighted_alpha(units: Weighted, level: Level = "nominal") -> AlphaResult:
    """Alpha over units each counted ``weight`` times (see :func:`weighted_coincidences`)."""
    matrix, weighed = weighted_coincidences(units)
    return alpha_from_matrix(matrix, round(weighed), level)


def alpha_from_matrix(
    matrix: dict[tuple[Hashable, Hashable], float], pairable: int, level: Level
) -> AlphaResult:
    """Alpha from a coincidence matrix and the number of pairable units."""
    margins: dict[Hashable, float] = defaultdict(float)
    for (c, _k), o in matrix.items():
        margins[c] += o
    n = sum(margins.values())
    if pairable == 0 or n < 2:
        return AlphaResult(None, pairable, round(n), 0.0, 0.0)
    delta = _distance(level, margins)
    observed_sum = sum(o * delta(c, k) for (c, k), o in matrix.items() if c != k)
    values = list(margins)
    if level == "nominal":
        expected_sum = n * n - sum(m * m for m in margins.values())
    elif level == "interval":
        mean = sum(_number(v) * margins[v] for v in values) / n
        expected_sum = 2 * n * sum(margins[v] * (_number(v) - mean) ** 2 for v in values)
    else:
        expected_sum = 0.0
        for i, c in enumerate(values):
            for k in values[i + 1 :]:
                expected_sum += 2 * margins[c] * margins[k] * delta(c, k)
    observed = observed_sum / n
    expected = expected_sum / (n * (n - 1))
    if expected <= 0:
        return AlphaResult(None, pairable, round(n), observed, expected)
    return AlphaResult(1.0 - observed / expected, pairable, round(n), observed, expected)
