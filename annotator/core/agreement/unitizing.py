"""Krippendorff's unitizing alpha (alpha_u) for one category over a continuum.

Krippendorff, K. (1995). On the reliability of unitizing continuous data. Sociological
Methodology 25, 47-76; Krippendorff, K. (2004). Content Analysis, 2nd ed., pp. 251-256
(and Quality & Quantity 38, 787-800). The tested Java implementation in dkpro-statistics
(KrippendorffAlphaUnitizingAgreement) reads the formulas the same way.

Each of m coders divides the continuum [0, L) into the units of the category it coded and
the gaps between them. With g, h the sections (units and gaps) of two coders:

    D_o = 2 / (m (m - 1) L^2) * sum over coder pairs, sum over overlapping g, h of d2(g, h)

    d2 = (b_g - b_h)^2 + (e_g - e_h)^2   both units, overlapping
         l_g^2                           g a unit inside the gap h
         l_h^2                           h a unit inside the gap g
         0                               otherwise

    D_e = 2 / L * sum over units g of [ (N - 1) (2 l_g^3 - 3 l_g^2 + l_g) / 3
                                        + l_g^2 * sum over gaps h with l_h >= l_g
                                          of (l_h - l_g + 1) ]
          / (m L (m L - 1) - sum over units g of l_g (l_g - 1))

with N the number of units of all coders and the gaps those of all coders.
alpha_u = 1 - D_o / D_e; undefined (None) when no coder marked anything (D_e = 0).

A coder's own units must not overlap: overlapping spans of one coder are joined into one
unit (their union) first. Several documents are one continuum, laid end to end.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class UnitizingResult:
    value: float | None
    observed: float
    expected: float
    units: int  # units (after joining overlaps) of all coders
    length: int  # L, code points


def join_overlaps(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """One coder's spans as non-overlapping units (overlapping spans joined)."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


def _sections(units: list[tuple[int, int]], length: int) -> list[tuple[int, int, bool]]:
    """Units and the gaps between them, in order: (begin, end, is_unit)."""
    sections: list[tuple[int, int, bool]] = []
    position = 0
    for start, end in units:
        if start > position:
            sections.append((position, start, False))
        sections.append((start, end, True))
        position = end
    if position < length:
        sections.append((position, length, False))
    return sections


def _distance(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    bg, eg, unit_g = g
    bh, eh, unit_h = h
    if unit_g and unit_h:
        if bg < eh and bh < eg:
            return (bg - bh) ** 2 + (eg - eh) ** 2
        return 0
    if unit_g and not unit_h and bh <= bg and eg <= eh:
        return (eg - bg) ** 2
    if unit_h and not unit_g and bg <= bh and eh <= eg:
        return (eh - bh) ** 2
    return 0


def _units_disagreement(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Sum of d2 over the overlapping sections of two coders (``_distance`` over their
    ``_sections``), from their joined units alone, written out (the report's innermost
    loop): overlapping units add (b_g - b_h)^2 + (e_g - e_h)^2; a unit that meets none
    of the other coder's lies inside one of their gaps (units and gaps tile the
    continuum) and adds l^2; nothing else adds anything."""
    total = 0
    hit = [False] * len(b)
    j, nb = 0, len(b)
    for start, end in a:
        while j < nb and b[j][1] <= start:  # ends ascend: those end before this starts
            j += 1
        k = j
        while k < nb and b[k][0] < end:
            other_start, other_end = b[k]
            total += (start - other_start) ** 2 + (end - other_end) ** 2
            hit[k] = True
            k += 1
        if k == j:
            total += (end - start) ** 2
    for (other_start, other_end), met in zip(b, hit, strict=True):
        if not met:
            total += (other_end - other_start) ** 2
    return total


def pair_sums(units: Sequence[list[tuple[int, int]]], length: int) -> dict[tuple[int, int], int]:
    """Sum of d2 for every pair of coders (i < j), from their joined units on [0, length).
    On continua laid end to end these sums add up (no section pairs across a border
    counts: a unit lies inside one document)."""
    return {
        (i, j): _units_disagreement(units[i], units[j])
        for i in range(len(units))
        for j in range(i + 1, len(units))
    }


@dataclass
class Sections:
    """How many units and gaps of each length a coder's continuum holds (what D_e
    needs of it); several documents laid end to end make one continuum."""

    units: Counter[int]
    gaps: Counter[int]
    count: int  # units
    length: int  # L, code points


def sections_of(documents: Iterable[tuple[list[tuple[int, int]], int]]) -> Sections:
    """One coder's joined units per document, each with the document's length, laid end
    to end in the order given: a gap at the end of one document and at the start of the
    next are one gap of the continuum."""
    units: Counter[int] = Counter()
    gaps: Counter[int] = Counter()
    unit_count, gap_count = units.get, gaps.get  # (a Counter's own += calls Python)
    count = 0
    offset = position = 0
    for own, size in documents:
        for start, end in own:
            if offset + start > position:
                gap = offset + start - position
                gaps[gap] = gap_count(gap, 0) + 1
            units[end - start] = unit_count(end - start, 0) + 1
            position = offset + end
        count += len(own)
        offset += size
    if position < offset:
        gaps[offset - position] = gap_count(offset - position, 0) + 1
    return Sections(units, gaps, count, offset)


def expected_disagreement(units: Sequence[list[tuple[int, int]]], length: int) -> float:
    """D_e from every coder's joined units on [0, length) (see the module)."""
    return expected_from_sections([sections_of([(own, length)]) for own in units])


def expected_from_sections(coders: Sequence[Sections]) -> float:
    """D_e from every coder's sections on one continuum.

    Only how many units and gaps there are of each length matters: the sums run over
    the distinct lengths, in whole numbers (l (l - 1) (2 l - 1) is divisible by 6)."""
    m = len(coders)
    length = coders[0].length if coders else 0
    count = sum(own.count for own in coders)
    gap_counts: Counter[int] = Counter()
    unit_counts: Counter[int] = Counter()
    for own in coders:
        gap_counts.update(own.gaps)
        unit_counts.update(own.units)
    gaps = sorted(gap_counts)
    # suffix sums over the gap lengths ascending: from index k on, those >= l
    fitting = [0] * (len(gaps) + 1)
    summed = [0] * (len(gaps) + 1)
    for k in range(len(gaps) - 1, -1, -1):
        n = gap_counts[gaps[k]]
        fitting[k] = fitting[k + 1] + n
        summed[k] = summed[k + 1] + n * gaps[k]
    numerator = 0
    squared = 0
    for ell, n in unit_counts.items():
        squared += n * ell * (ell - 1)
        k = bisect_left(gaps, ell)
        within = summed[k] - fitting[k] * (ell - 1)  # sum of (l_h - l + 1)
        numerator += n * ((count - 1) * (ell * (ell - 1) * (2 * ell - 1) // 3) + ell * ell * within)
    denominator = m * length * (m * length - 1) - squared
    return 2 / length * numerator / denominator if denominator > 0 else 0.0


def alpha_from_sections(observed_sum: int, coders: Sequence[Sections]) -> UnitizingResult:
    """alpha_u from the pairs' summed d2 and every coder's sections of one continuum."""
    m = len(coders)
    count = sum(own.count for own in coders)
    length = coders[0].length if coders else 0
    if m < 2 or length <= 0 or count == 0:
        return UnitizingResult(None, 0.0, 0.0, count, length)
    observed = 2 * observed_sum / (m * (m - 1) * length * length)
    expected = expected_from_sections(coders)
    if expected <= 0:
        return UnitizingResult(None, observed, expected, count, length)
    return UnitizingResult(1.0 - observed / expected, observed, expected, count, length)


def alpha_from_sums(
    observed_sum: int, units: Sequence[list[tuple[int, int]]], length: int
) -> UnitizingResult:
    """alpha_u from the pairs' summed d2 and every coder's joined units."""
    m = len(units)
    count = sum(len(own) for own in units)
    if m < 2 or length <= 0 or count == 0:
        return UnitizingResult(None, 0.0, 0.0, count, length)
    observed = 2 * observed_sum / (m * (m - 1) * length * length)
    expected = expected_disagreement(units, length)
    if expected <= 0:
        return UnitizingResult(None, observed, expected, count, length)
    return UnitizingResult(1.0 - observed / expected, observed, expected, count, length)


def unitizing_alpha(coders: Sequence[Iterable[tuple[int, int]]], length: int) -> UnitizingResult:
    """alpha_u of m coders' spans (start, end) of one category on [0, length)."""
    units = [join_overlaps(spans) for spans in coders]
    for own in units:
        if own and (own[0][0] < 0 or own[-1][1] > length):
            raise ValueError("a span lies outside the continuum")
    if len(units) < 2 or length <= 0 or not any(units):
        return alpha_from_sums(0, units, length)
    return alpha_from_sums(sum(pair_sums(units, length).values()), units, length)


def concatenate(
    documents: Sequence[tuple[str, int]], spans: Mapping[str, Iterable[tuple[int, int]]]
) -> tuple[list[tuple[int, int]], int]:
    """One coder's spans per document laid end to end: documents in the given order.

    ``documents`` are (document id, length in code points); ``spans`` maps a document id
    to that coder's spans in it. Returns the spans on the joined continuum and its length.
    """
    joined: list[tuple[int, int]] = []
    offset = 0
    for document_id, size in documents:
        for start, end in spans.get(document_id, ()):
            joined.append((offset + start, offset + end))
        offset += size
    return joined, offset


def pooled_unitizing_alpha(results: Iterable[UnitizingResult]) -> float | None:
    """alpha_u over several categories: 1 - (sum of D_o) / (sum of D_e), each category's
    disagreements on the same continuum weighing alike (Krippendorff 2004, p. 256)."""
    defined = [r for r in results if r.expected > 0]
    expected = sum(r.expected for r in defined)
    if not defined or expected <= 0:
        return None
    return 1.0 - sum(r.observed for r in defined) / expected
