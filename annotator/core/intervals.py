"""An interval index: which spans overlap a range of the text, fast."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

BUCKET = 2048


@dataclass(frozen=True, slots=True)
class Span:
    """A coded span as the view needs it: where, what, and which annotation."""

    start: int
    end: int
    key: str
    ident: str


class IntervalIndex:
    """Buckets of fixed width; a span is listed in every bucket it touches."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._buckets: dict[int, list[Span]] = defaultdict(list)
        self._by_id: dict[str, Span] = {}
        for span in spans:
            self.add(span)

    def __len__(self) -> int:
        return len(self._by_id)

    def add(self, span: Span) -> None:
        self._by_id[span.ident] = span
        last = max(span.start, span.end - 1)
        for bucket in range(span.start // BUCKET, last // BUCKET + 1):
            self._buckets[bucket].append(span)

    def remove(self, ident: str) -> Span | None:
        span = self._by_id.pop(ident, None)
        if span is None:
            return None
        last = max(span.start, span.end - 1)
        for bucket in range(span.start // BUCKET, last // BUCKET + 1):
            items = self._buckets[bucket]
            items[:] = [s for s in items if s.ident != ident]
        return span

    def get(self, ident: str) -> Span | None:
        return self._by_id.get(ident)

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans with ``span.start < end and span.end > start``, by start then length."""
        if end <= start:
            return []
        found: dict[str, Span] = {}
        for bucket in range(start // BUCKET, (end - 1) // BUCKET + 1):
            for span in self._buckets.get(bucket, ()):
                if span.start < end and span.end > start:
                    found[span.ident] = span
        return sorted(found.values(), key=lambda s: (s.start, -s.end, s.ident))

    def at(self, position: int) -> list[Span]:
        """Spans that contain ``position``, innermost last."""
        return self.overlapping(position, position + 1)


def segments(spans: list[Span], start: int, end: int) -> list[tuple[int, int, list[Span]]]:
    """Cut ``[start, end)`` at every span boundary.

    Returns ``(seg_start, seg_end, covering_spans)`` for each piece that at
    least one span covers, covering spans ordered outermost first.
    """
    cuts = {start, end}
    for span in spans:
        if start < span.start < end:
            cuts.add(span.start)
        if start < span.end < end:
            cuts.add(span.end)
    points = sorted(cuts)
    result: list[tuple[int, int, list[Span]]] = []
    for a, b in zip(points, points[1:], strict=False):
        covering = [s for s in spans if s.start <= a and s.end >= b]
        if covering:
            covering.sort(key=lambda s: (-(s.end - s.start), s.start, s.ident))
            result.append((a, b, covering))
    return result
