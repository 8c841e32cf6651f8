"""Two coders' counts from their columns of values, in a few passes the interpreter makes
in C (zip, Counter, dict.fromkeys) instead of one Python step per unit.

What ``NominalTally`` and ``Coincidences`` add up unit by unit is, for two coders, all
whole or half numbers: the same sums in any order, so counting them whole gives the
same floats. Where a figure still sums in the order values come (Gwet's chance
agreement over ``shares``, interval alpha over the margins), the dicts are filled in
the order the values first come in the units, as the unit-by-unit tallies fill them.
Tests hold both ways equal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from functools import cached_property
from itertools import chain, compress
from operator import eq
from typing import cast

from annotator.core.agreement.kappa import Agreement
from annotator.core.agreement.tally import Coincidences, NominalTally

Column = Sequence[Hashable]  # one coder's value per unit (None: no span, or no value)


class TwoCoders:
    """Two coders' values unit by unit (None: no span, or no value), and what every
    figure of theirs needs, each worked out once."""

    def __init__(self, first: Column, second: Column) -> None:
        self.first, self.second = first, second

    @cached_property
    def paired(self) -> tuple[list[Hashable], list[Hashable]]:
        """The two coders' values of the units where both gave one."""
        first, second = self.first, self.second
        both = [a is not None and b is not None for a, b in zip(first, second, strict=True)]
        return list(compress(first, both)), list(compress(second, both))

    @cached_property
    def agreeing(self) -> int:
        pa, pb = self.paired
        return sum(map(eq, pa, pb))

    @cached_property
    def paired_counts(self) -> tuple[Counter[Hashable], Counter[Hashable]]:
        pa, pb = self.paired
        return Counter(pa), Counter(pb)

    def nominal_tally(self) -> NominalTally:
        """What ``NominalTally.add`` would hold after every unit."""
        first, second = self.first, self.second
        pa, pb = self.paired
        paired = len(pa)
        # Counted in C; a Counter keeps the order its values first came in.
        margins = Counter(chain(pa, pb))
        every = Counter(chain.from_iterable(zip(first, second, strict=True)))
        missing = every.pop(None, 0)
        tally = NominalTally()
        tally.pairable = float(paired)
        tally.present = float(2 * len(first) - missing - paired)  # units with a value
        tally.disagreement = 2.0 * (paired - self.agreeing)
        tally.agreeing = float(self.agreeing)
        # Whole numbers: alpha only adds them and their squares, exactly in any type.
        tally.margins = cast(dict[Hashable, float], margins)
        # Half a value's count in pairs, all of it where it is alone.
        paired_count = margins.get
        tally.shares = {v: n - paired_count(v, 0) / 2 for v, n in every.items()}
        return tally

    def coincidences(self, coded: Mapping[Hashable, Hashable]) -> Coincidences:
        """What ``Coincidences.add`` would hold after every unit, each value replaced by
        ``coded[value]`` (its code at the level; None: missing)."""
        pa, pb = self.paired
        both = [coded[a] is not None and coded[b] is not None for a, b in zip(pa, pb, strict=True)]
        tally = Coincidences()
        tally.pairable = float(sum(both))
        matrix = tally.matrix
        for (a, b), n in Counter(zip(compress(pa, both), compress(pb, both), strict=True)).items():
            a, b = coded[a], coded[b]
            if a == b:
                matrix[(a, a)] = matrix.get((a, a), 0.0) + 2.0 * n
            else:
                matrix[(a, b)] = matrix.get((a, b), 0.0) + float(n)
                matrix[(b, a)] = matrix.get((b, a), 0.0) + float(n)
        return tally

    def cohen_kappa(self) -> Agreement:
        """Cohen's kappa as ``kappa.weighted_cohen_kappa`` gives it over the same units."""
        pa, pb = self.paired
        n = len(pa)
        if not n:
            return Agreement(None, 0)
        observed = self.agreeing / n
        one, other = self.paired_counts
        chance = sum(c * other[k] for k, c in one.items() if k in other) / (n * n)
        if chance >= 1.0:
            return Agreement(None, n)
        return Agreement((observed - chance) / (1.0 - chance), n)
