"""Percent agreement, Cohen's kappa, Fleiss' kappa and Gwet's AC1 on nominal values.

Each unit is the values its coders gave (None: that coder gave none). Observed agreement
uses the units with at least two values; the chance terms of Fleiss' kappa and AC1 use
every unit with at least one value (Gwet 2014, Handbook of Inter-Rater Reliability, 4th
ed., ch. 2 and 4, as his irrCAC package does).

- Percent agreement: the share of agreeing pairs among all pairs of values within units,
  pooled (Fleiss' P_a: per unit sum_k r_k (r_k - 1) / (r (r - 1)), averaged over units).
  For two coders it is the share of units they coded alike.
- Cohen's kappa (Cohen 1960), two coders: (p_o - p_e) / (1 - p_e), p_e = sum_k p_1k p_2k
  from each coder's own distribution over the units both coded.
- Fleiss' kappa (Fleiss 1971): (P_a - P_e) / (1 - P_e), P_e = sum_k pi_k ** 2, pi_k the
  mean over units of r_k / r (r: the values of that unit). With every unit coded by the
  same number of coders this is Fleiss' formula; with missing values it is Gwet's
  generalisation.
- Gwet's AC1 (Gwet 2008): (P_a - P_e) / (1 - P_e), P_e = sum_k pi_k (1 - pi_k) / (q - 1),
  q the number of categories (those given, unless the caller names the scale).

Each has a ``weighted_`` form taking (unit, times) pairs: a report counts identical units
once and weighs them. Each returns None when undefined (no pairable unit, or chance agreement of 1).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    """One figure and the units it rests on."""

    value: float | None
    units: int  # units with at least two values


Weighted = Iterable[tuple[Sequence[Hashable | None], float]]


def _present(units: Weighted) -> list[tuple[list[Hashable], float]]:
    """The values of each unit that has at least one, with its weight."""
    result = []
    for unit, weight in units:
        present = [v for v in unit if v is not None]
        if present and weight:
            result.append((present, weight))
    return result


def _pairable(units: list[tuple[list[Hashable], float]]) -> list[tuple[list[Hashable], float]]:
    return [(present, weight) for present, weight in units if len(present) >= 2]


def _count(units: list[tuple[list[Hashable], float]]) -> int:
    return round(sum(weight for _present, weight in units))


def _observed(units: list[tuple[list[Hashable], float]]) -> float:
    total = 0.0
    for present, weight in units:
        r = len(present)
        agreeing = sum(n * (n - 1) for n in Counter(present).values())
        total += weight * agreeing / (r * (r - 1))
    return total / sum(weight for _present, weight in units)


def _shares(units: list[tuple[list[Hashable], float]]) -> dict[Hashable, float]:
    shares: dict[Hashable, float] = {}
    for present, weight in units:
        r = len(present)
        for value, n in Counter(present).items():
            shares[value] = shares.get(value, 0.0) + weight * n / r
    total = sum(weight for _present, weight in units)
    return {value: share / total for value, share in shares.items()}


def _chance_corrected(observed: float, chance: float) -> float | None:
    if chance >= 1.0:
        return None
    return (observed - chance) / (1.0 - chance)


def _once(units: Iterable[Sequence[Hashable | None]]) -> Weighted:
    return ((unit, 1) for unit in units)


def percent_agreement(units: Iterable[Sequence[Hashable | None]]) -> Agreement:
    return weighted_percent_agreement(_once(units))


def weighted_percent_agreement(units: Weighted) -> Agreement:
    pairable = _pairable(_present(units))
    if not pairable:
        return Agreement(None, 0)
    return Agreement(_observed(pairable), _count(pairable))


def cohen_kappa(pairs: Iterable[tuple[Hashable | None, Hashable | None]]) -> Agreement:
    """Cohen's kappa over (first coder's value, second coder's value) per unit."""
    return weighted_cohen_kappa(((a, b), 1) for a, b in pairs)


def weighted_cohen_kappa(
    pairs: Iterable[tuple[tuple[Hashable | None, Hashable | None], float]],
) -> Agreement:
    both = [((a, b), w) for (a, b), w in pairs if a is not None and b is not None and w]
    if not both:
        return Agreement(None, 0)
    n = sum(w for _pair, w in both)
    observed = sum(w for (a, b), w in both if a == b) / n
    first: dict[Hashable, float] = {}
    second: dict[Hashable, float] = {}
    for (a, b), w in both:
        first[a] = first.get(a, 0.0) + w
        second[b] = second.get(b, 0.0) + w
    chance = sum(first[k] * second.get(k, 0.0) for k in first) / (n * n)
    return Agreement(_chance_corrected(observed, chance), round(n))


def fleiss_kappa(units: Iterable[Sequence[Hashable | None]]) -> Agreement:
    return weighted_fleiss_kappa(_once(units))


def weighted_fleiss_kappa(units: Weighted) -> Agreement:
    present = _present(units)
    pairable = _pairable(present)
    if not pairable:
        return Agreement(None, 0)
    chance = sum(share * share for share in _shares(present).values())
    return Agreement(_chance_corrected(_observed(pairable), chance), _count(pairable))


def gwet_ac1(
    units: Iterable[Sequence[Hashable | None]], categories: Collection[Hashable] = ()
) -> Agreement:
    """Gwet's AC1; ``categories`` names the whole scale (else: the values given)."""
    return weighted_gwet_ac1(_once(units), categories)


def weighted_gwet_ac1(units: Weighted, categories: Collection[Hashable] = ()) -> Agreement:
    present = _present(units)
    pairable = _pairable(present)
    if not pairable:
        return Agreement(None, 0)
    shares = _shares(present)
    q = len(set(shares) | set(categories))
    if q < 2:
        return Agreement(None, _count(pairable))
    chance = sum(share * (1.0 - share) for share in shares.values()) / (q - 1)
    return Agreement(_chance_corrected(_observed(pairable), chance), _count(pairable))
