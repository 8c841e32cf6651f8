"""Coders' spans matched into units: the shared ground of agreement and adjudication.

Pure Python. Per document and category, spans of different coders are matched one
to one by overlap (shared code points over the union of the two spans), greedily,
best overlap first, ties broken by position then annotation id; every span ends in
exactly one unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CodedSpan:
    annotation_id: str
    coder: str
    document_id: str
    category: str
    start: int  # code points, half-open [start, end)
    end: int
    values: Mapping[str, object]  # attribute key -> comparable value


@dataclass(frozen=True)
class MatchRule:
    min_overlap: float = 0.5  # shared code points / union of the two spans


@dataclass(frozen=True)
class Unit:
    document_id: str
    category: str
    spans: Mapping[str, CodedSpan]  # coder -> that coder's span

    @property
    def key(self) -> str:
        """Stable: the member annotation ids, sorted."""
        return "+".join(sorted(s.annotation_id for s in self.spans.values()))

    @property
    def start(self) -> int:
        return min(s.start for s in self.spans.values())


def overlap(a: CodedSpan, b: CodedSpan) -> float:
    shared = min(a.end, b.end) - max(a.start, b.start)
    if shared <= 0:
        return 0.0
    return shared / (max(a.end, b.end) - min(a.start, b.start))


def match_units(
    spans: Iterable[CodedSpan], coders: Sequence[str], rule: MatchRule = MatchRule()
) -> list[Unit]:
    """Per (document, category): best one-to-one matching across coders (greedy on
    overlap ratio, ties broken by position then annotation id, deterministic); units
    sorted by (document_id, start, category)."""
    wanted = set(coders)
    groups: dict[tuple[str, str], list[CodedSpan]] = defaultdict(list)
    for span in spans:
        if span.coder in wanted:
            groups[(span.document_id, span.category)].append(span)
    units: list[Unit] = []
    for (document_id, category), members in groups.items():
        members.sort(key=lambda s: (s.start, s.end, s.annotation_id))
        pairs: list[tuple[float, int, str, int, int]] = []
        for i, a in enumerate(members):
            for j in range(i + 1, len(members)):
                b = members[j]
                if b.start >= a.end:
                    break
                if a.coder == b.coder:
                    continue
                ratio = overlap(a, b)
                if ratio >= rule.min_overlap and ratio > 0:
                    pairs.append((-ratio, a.start, a.annotation_id, i, j))
        pairs.sort()
        group_of = list(range(len(members)))
        coders_of: dict[int, set[str]] = {i: {m.coder} for i, m in enumerate(members)}
        items: dict[int, list[int]] = {i: [i] for i in range(len(members))}
        for _ratio, _start, _ident, i, j in pairs:
            gi, gj = group_of[i], group_of[j]
            if gi == gj or coders_of[gi] & coders_of[gj]:
                continue
            coders_of[gi] |= coders_of.pop(gj)
            for k in items[gj]:
                group_of[k] = gi
            items[gi] += items.pop(gj)
        for indices in items.values():
            spans_by_coder = {members[k].coder: members[k] for k in indices}
            units.append(Unit(document_id, category, spans_by_coder))
    units.sort(key=lambda u: (u.document_id, u.start, u.category))
    return units
