"""Counts from which the nominal measures and alpha at any level follow, added up unit by
unit and across documents: a pooled figure is the sum of its documents' counts.

``NominalTally`` gives, in one pass over the units, what ``alpha.py`` (nominal) and
``kappa.py`` compute separately (tests hold the two equal); ``Coincidences`` holds the
coincidence matrix for ordinal and interval alpha.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

from annotator.core.agreement.alpha import AlphaResult, Level, alpha_from_matrix
from annotator.core.agreement.kappa import Agreement


class NominalTally:
    __slots__ = ("agreeing", "disagreement", "margins", "pairable", "present", "shares")

    def __init__(self) -> None:
        self.disagreement = 0.0  # sum over units of w (m^2 - sum n_c^2) / (m - 1)
        self.margins: dict[Hashable, float] = {}  # n_c over pairable units
        self.pairable = 0.0  # units with two or more values (weighted)
        self.agreeing = 0.0  # sum over those of w sum n_c (n_c - 1) / (m (m - 1))
        self.shares: dict[Hashable, float] = {}  # sum over units with a value of w n_c / m
        self.present = 0.0  # units with one or more values (weighted)

    def add(self, present: Sequence[Hashable], weight: float) -> None:
        """One unit's values (None left out), counted ``weight`` times."""
        m = len(present)
        if not m:
            return
        self.present += weight
        shares = self.shares
        if m == 1:
            v = present[0]
            shares[v] = shares.get(v, 0.0) + weight
            return
        if m == 2:
            a, b = present
            counts: dict[Hashable, int] = {a: 2} if a == b else {a: 1, b: 1}
        else:
            counts = {}
            for v in present:
                counts[v] = counts.get(v, 0) + 1
        self.pairable += weight
        squares = 0
        same = 0
        margins = self.margins
        for v, n in counts.items():
            squares += n * n
            same += n * (n - 1)
            margins[v] = margins.get(v, 0.0) + weight * n
            shares[v] = shares.get(v, 0.0) + weight * n / m
        self.disagreement += weight * (m * m - squares) / (m - 1)
        self.agreeing += weight * same / (m * (m - 1))

    def add_rows(self, rows: Iterable[tuple[Sequence[Hashable | None], int]]) -> None:
        """``add`` of each row's values (None left out), ``weight`` times, in turn: the
        same sums in the same order, without a call and a list per row."""
        present, pairable = self.present, self.pairable
        disagreement, agreeing = self.disagreement, self.agreeing
        margins, shares = self.margins, self.shares
        for row, weight in rows:
            values = [v for v in row if v is not None]
            m = len(values)
            if not m:
                continue
            present += weight
            if m == 1:
                v = values[0]
                shares[v] = shares.get(v, 0.0) + weight
                continue
            if m == 2:
                a, b = values
                counts: dict[Hashable, int] = {a: 2} if a == b else {a: 1, b: 1}
            else:
                counts = {}
                for v in values:
                    counts[v] = counts.get(v, 0) + 1
            pairable += weight
            squares = 0
            same = 0
            for v, n in counts.items():
                squares += n * n
                same += n * (n - 1)
                margins[v] = margins.get(v, 0.0) + weight * n
                shares[v] = shares.get(v, 0.0) + weight * n / m
            disagreement += weight * (m * m - squares) / (m - 1)
            agreeing += weight * same / (m * (m - 1))
        self.present, self.pairable = present, pairable
        self.disagreement, self.agreeing = disagreement, agreeing

    def merge(self, other: NominalTally) -> None:
        self.disagreement += other.disagreement
        self.pairable += other.pairable
        self.agreeing += other.agreeing
        self.present += other.present
        for v, n in other.margins.items():
            self.margins[v] = self.margins.get(v, 0.0) + n
        for v, n in other.shares.items():
            self.shares[v] = self.shares.get(v, 0.0) + n

    def alpha(self) -> AlphaResult:
        n = sum(self.margins.values())
        units = round(self.pairable)
        if not units or n < 2:
            return AlphaResult(None, units, round(n), 0.0, 0.0)
        expected_sum = n * n - sum(c * c for c in self.margins.values())
        observed = self.disagreement / n
        expected = expected_sum / (n * (n - 1))
        if expected <= 0:
            return AlphaResult(None, units, round(n), observed, expected)
        return AlphaResult(1.0 - observed / expected, units, round(n), observed, expected)

    def _observed(self) -> float:
        return self.agreeing / self.pairable

    def percent(self) -> Agreement:
        if not self.pairable:
            return Agreement(None, 0)
        return Agreement(self._observed(), round(self.pairable))

    def _corrected(self, chance: float) -> Agreement:
        units = round(self.pairable)
        if chance >= 1.0:
            return Agreement(None, units)
        return Agreement((self._observed() - chance) / (1.0 - chance), units)

    def fleiss(self) -> Agreement:
        if not self.pairable:
            return Agreement(None, 0)
        return self._corrected(sum((s / self.present) ** 2 for s in self.shares.values()))

    def ac1(self) -> Agreement:
        if not self.pairable:
            return Agreement(None, 0)
        q = len(self.shares)
        if q < 2:
            return Agreement(None, round(self.pairable))
        pis = [s / self.present for s in self.shares.values()]
        return self._corrected(sum(p * (1.0 - p) for p in pis) / (q - 1))


class Coincidences:
    """The coincidence matrix, for alpha at any level."""

    __slots__ = ("matrix", "pairable")

    def __init__(self) -> None:
        self.matrix: dict[tuple[Hashable, Hashable], float] = {}
        self.pairable = 0.0

    def add(self, present: Sequence[Hashable], weight: float) -> None:
        m = len(present)
        if m < 2:
            return
        self.pairable += weight
        counts: dict[Hashable, int] = {}
        for v in present:
            counts[v] = counts.get(v, 0) + 1
        each = weight / (m - 1)
        matrix = self.matrix
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[(c, k)] = matrix.get((c, k), 0.0) + pairs * each

    def merge(self, other: Coincidences) -> None:
        self.pairable += other.pairable
        for key, o in other.matrix.items():
            self.matrix[key] = self.matrix.get(key, 0.0) + o

    def alpha(self, level: Level) -> AlphaResult:
        return alpha_from_matrix(self.matrix, round(self.pairable), level)
