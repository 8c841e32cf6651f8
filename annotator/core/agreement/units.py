"""Units of coding: the coders' spans of one category matched across coders by overlap.

The rule (``MatchRule``): two spans of the same document and category, by different
coders, may share a unit when the code points they share are at least ``min_overlap`` of
the code points either covers (their union), and every two spans of a unit meet that
bound. Candidate pairs are taken best first (the highest overlap ratio; ties by the
earlier position, then by annotation id), and a pair joins the units its two spans are in
when the joined unit still holds at most one span per coder and every pair in it meets
the bound. For two coders this is the greedy best one-to-one matching. Every span ends up
in exactly one unit; a unit of one span is a span no other coder matched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True, slots=True)  # slots: a report holds one per annotation
class CodedSpan:
    """One coder's annotation as agreement sees it: where, which category, which values."""

    annotation_id: str
    coder: str
    document_id: str
    category: str
    start: int  # code points, half-open [start, end)
    end: int
    # attribute key -> comparable value (choice key, number, bool, text, the registry
    # actor id a reference resolves to...); left out of the hash (a dict is not hashable).
    values: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class MatchRule:
    """When two coders' spans count as the same unit."""

    min_overlap: float = 0.5  # shared code points / union of the two spans

    def describe(self) -> str:
        return (
            f"same document and category, one span per coder, every two spans sharing at "
            f"least {self.min_overlap:.0%} of the code points either covers (best pairs first)"
        )


DEFAULT_RULE = MatchRule()


@dataclass(frozen=True)
class Unit:
    """Spans of several coders matched as one unit (or one coder's unmatched span)."""

    document_id: str
    category: str
    spans: Mapping[str, CodedSpan] = field(hash=False)  # coder -> span; absent: not coded

    @cached_property
    def key(self) -> str:
        """Stable identity: the member annotation ids, sorted, joined by '+' (worked out
        once: the report sorts, resolves and writes by it)."""
        return "+".join(sorted(span.annotation_id for span in self.spans.values()))

    @property
    def start(self) -> int:
        return min(span.start for span in self.spans.values())

    @property
    def end(self) -> int:
        return max(span.end for span in self.spans.values())

    @property
    def coders(self) -> tuple[str, ...]:
        return tuple(sorted(self.spans))

    def __hash__(self) -> int:
        return hash(self.key)


def overlap_ratio(a: CodedSpan, b: CodedSpan) -> float:
    """Shared code points over the code points either covers (0 when they do not meet)."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    if shared <= 0:
        return 0.0
    return shared / (max(a.end, b.end) - min(a.start, b.start))


def _candidate_pairs(
    spans: list[CodedSpan], rule: MatchRule
) -> list[tuple[float, int, int, str, str, int, int]]:
    """Pairs of overlapping spans by different coders that meet the rule, best first
    (``overlap_ratio`` written out: this is the matching's innermost loop)."""
    starts = [s.start for s in spans]
    ends = [s.end for s in spans]
    coders = [s.coder for s in spans]
    ids = [s.annotation_id for s in spans]
    least = rule.min_overlap
    order = sorted(range(len(spans)), key=lambda i: (starts[i], ends[i]))
    pairs: list[tuple[float, int, int, str, str, int, int]] = []
    active: list[int] = []
    for i in order:
        start, end, coder = starts[i], ends[i], coders[i]
        active = [j for j in active if ends[j] > start]
        for j in active:
            if coders[j] == coder:
                continue
            other_start, other_end = starts[j], ends[j]
            shared = (end if end < other_end else other_end) - start  # other_start <= start
            if shared <= 0:
                continue
            ratio = shared / ((end if end > other_end else other_end) - other_start)
            if ratio >= least:
                a, b = (ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i])
                pairs.append((-ratio, other_start, start, a, b, i, j))
        active.append(i)
    pairs.sort()
    return pairs


def _match_group(spans: list[CodedSpan], rule: MatchRule) -> list[dict[str, CodedSpan]]:
    member: list[int] = list(range(len(spans)))  # span index -> group id
    groups: dict[int, list[int]] = {i: [i] for i in range(len(spans))}
    coders = [s.coder for s in spans]
    starts = [s.start for s in spans]
    ends = [s.end for s in spans]
    least = rule.min_overlap
    for _ratio, _s1, _s2, _id1, _id2, i, j in _candidate_pairs(spans, rule):
        gi, gj = member[i], member[j]
        if gi == gj:
            continue
        left, right = groups[gi], groups[gj]
        # Two single spans: a candidate pair is of two coders and meets the rule.
        if (len(left) > 1 or len(right) > 1) and not _joinable(
            left, right, coders, starts, ends, least
        ):
            continue
        left.extend(right)
        for k in right:
            member[k] = gi
        del groups[gj]
    return [{spans[k].coder: spans[k] for k in members} for members in groups.values()]


def _joinable(
    left: list[int],
    right: list[int],
    coders: list[str],
    starts: list[int],
    ends: list[int],
    least: float,
) -> bool:
    """Whether two units may become one: no coder in both, and every span of one
    overlapping every span of the other by at least ``least`` (``overlap_ratio``)."""
    taken = {coders[k] for k in left}
    if any(coders[k] in taken for k in right):
        return False
    for a in left:
        start, end = starts[a], ends[a]
        for b in right:
            other_start, other_end = starts[b], ends[b]
            shared = (end if end < other_end else other_end) - (
                start if start > other_start else other_start
            )
            if shared <= 0:
                return False
            union = (end if end > other_end else other_end) - (
                start if start < other_start else other_start
            )
            if shared / union < least:
                return False
    return True


def match_units(
    spans: Iterable[CodedSpan], coders: Sequence[str], rule: MatchRule = MatchRule()
) -> list[Unit]:
    """Per (document, category): best one-to-one matching across coders (greedy on overlap
    ratio, ties broken by position then annotation id, deterministic), every span in exactly
    one unit; units sorted by (document_id, start, category).

    Spans of coders not in ``coders`` are left out.
    """
    chosen = set(coders)
    by_group: dict[tuple[str, str], list[CodedSpan]] = defaultdict(list)
    for span in spans:
        if span.coder in chosen:
            by_group[(span.document_id, span.category)].append(span)
    placed: list[tuple[str, int, str, int, str, Unit]] = []
    for (document_id, category), members in by_group.items():
        members.sort(key=lambda s: (s.start, s.end, s.coder, s.annotation_id))
        for matched in _match_group(members, rule):
            unit = Unit(document_id, category, matched)
            inside = matched.values()
            start = min(s.start for s in inside)
            end = max(s.end for s in inside)
            key = "+".join(sorted(s.annotation_id for s in inside))
            unit.__dict__["key"] = key  # where the cached property keeps it
            placed.append((document_id, start, category, end, key, unit))
    placed.sort(key=lambda p: p[:5])
    return [p[5] for p in placed]
