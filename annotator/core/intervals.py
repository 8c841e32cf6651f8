"""An interval index: which spans overlap a range of the text, fast."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple, Protocol

BUCKET = 2048


class Span(NamedTuple):
    """A coded span as the view needs it: where, what, and which annotation.

    Anything with these four attributes (an ``Annotation``, say) indexes as well.
    """

    start: int
    end: int
    category: str
    id: str


class Spanlike(Protocol):
    """What the index reads of a span: a ``Span`` or an ``Annotation``."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def category(self) -> str: ...
    @property
    def id(self) -> str: ...


class IntervalIndex:
    """Buckets of fixed width; a span is listed in every bucket it touches."""

    def __init__(self, spans: Iterable[Spanlike] = ()) -> None:
        self._buckets: dict[int, list[Spanlike]] = defaultdict(list)
        self._by_id: dict[str, Spanlike] = {}
        buckets, by_id = self._buckets, self._by_id
        for span in spans:
            by_id[span.id] = span
            first, last = span.start // BUCKET, max(span.start, span.end - 1) // BUCKET
            if first == last:
                buckets[first].append(span)
            else:
                for bucket in range(first, last + 1):
                    buckets[bucket].append(span)

    def __len__(self) -> int:
        return len(self._by_id)

    def add(self, span: Spanlike) -> None:
        self._by_id[span.id] = span
        last = max(span.start, span.end - 1)
        for bucket in range(span.start // BUCKET, last // BUCKET + 1):
            self._buckets[bucket].append(span)

    def remove(self, ident: str) -> Spanlike | None:
        span = self._by_id.pop(ident, None)
        if span is None:
            return None
        last = max(span.start, span.end - 1)
        for bucket in range(span.start // BUCKET, last // BUCKET + 1):
            items = self._buckets[bucket]
            items[:] = [s for s in items if s.id != ident]
        return span

    def get(self, ident: str) -> Spanlike | None:
        return self._by_id.get(ident)

    def overlapping(self, start: int, end: int) -> list[Spanlike]:
        """Spans with ``span.start < end and span.end > start``, by start then length."""
        if end <= start:
            return []
        found: dict[str, Spanlike] = {}
        for bucket in range(start // BUCKET, (end - 1) // BUCKET + 1):
            for span in self._buckets.get(bucket, ()):
                if span.start < end and span.end > start:
                    found[span.id] = span
        return sorted(found.values(), key=lambda s: (s.start, -s.end, s.id))

    def at(self, position: int) -> list[Spanlike]:
        """Spans that contain ``position``, innermost last."""
        return self.overlapping(position, position + 1)


def segments(spans: list[Spanlike], start: int, end: int) -> list[tuple[int, int, list[Spanlike]]]:
    """Cut ``[start, end)`` at every span boundary.

    Returns ``(seg_start, seg_end, covering_spans)`` for each piece that at
    least one span covers, covering spans ordered outermost first. A sweep
    over the boundaries: linear in the number of spans and cuts.
    """
    if not spans:
        return []
    events: dict[int, list[tuple[int, Spanlike]]] = {}
    for span in spans:
        events.setdefault(max(span.start, start), []).append((1, span))
        if span.end < end:
            events.setdefault(span.end, []).append((-1, span))
    points = sorted({start, end, *events})
    active: dict[str, Spanlike] = {}
    ordered: list[Spanlike] = []
    result: list[tuple[int, int, list[Spanlike]]] = []
    for a, b in zip(points, points[1:], strict=False):
        changes = events.get(a)
        if changes:
            for kind, span in changes:
                if kind > 0:
                    active[span.id] = span
                else:
                    active.pop(span.id, None)
            ordered = sorted(active.values(), key=lambda s: (-(s.end - s.start), s.start, s.id))
        if ordered and b <= end:
            result.append((a, b, ordered))
    return result
