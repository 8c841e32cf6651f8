"""An interval index: which spans overlap a range of the text, fast."""

from __future__ import annotations

from bisect import insort
from collections import defaultdict
from collections.abc import Iterable, Iterator
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

    def touching(self, start: int, end: int) -> list[Spanlike]:
        """The spans of :meth:`overlapping`, in no particular order (no sort)."""
        if end <= start:
            return []
        first, last = start // BUCKET, (end - 1) // BUCKET
        if first == last:
            return [s for s in self._buckets.get(first, ()) if s.start < end and s.end > start]
        found: dict[str, Spanlike] = {}
        for bucket in range(first, last + 1):
            for span in self._buckets.get(bucket, ()):
                if span.start < end and span.end > start:
                    found[span.id] = span
        return list(found.values())

    def at(self, position: int) -> list[Spanlike]:
        """Spans that contain ``position``, innermost last."""
        return self.overlapping(position, position + 1)


Look = tuple[str, str | None, bool, bool]
# A span as the sweep keeps it: ``(start - end, start, id, span)``, so that tuples
# sort outermost first (longest, then leftmost, then by id: ids are unique).
_Item = tuple[int, int, str, Spanlike]


def _boundaries(
    spans: list[Spanlike], start: int, end: int
) -> tuple[list[int], dict[int, list[_Item]], dict[int, list[_Item]]]:
    """The cuts of ``[start, end)`` in order (``end`` last), and the spans that
    begin and end at each one (a span begun before ``start`` begins at ``start``).
    Spans outside the range are left out."""
    opens: dict[int, list[_Item]] = {}
    closes: dict[int, list[_Item]] = {}
    for span in spans:
        first, last = span.start, span.end
        if first >= end or last <= start:
            continue
        item = (first - last, first, span.id, span)
        if first < start:
            first = start
        group = opens.get(first)
        if group is None:
            opens[first] = [item]
        else:
            group.append(item)
        if last < end:
            group = closes.get(last)
            if group is None:
                closes[last] = [item]
            else:
                group.append(item)
    points = sorted(opens.keys() | closes.keys())
    points.append(end)  # no span begins at ``end``, and those ending there are not closed
    return points, opens, closes


def _sweep(spans: list[Spanlike], start: int, end: int) -> Iterator[tuple[int, int, list[_Item]]]:
    """Yield ``(a, b, covering)`` for each piece of ``[start, end)`` between two cuts
    that some span covers. ``covering`` is kept in order as spans come and go (an
    insertion or removal in a short list, never a sort at every cut); it is the
    sweep's own list: read it before asking for the next piece."""
    points, opens, closes = _boundaries(spans, start, end)
    covering: list[_Item] = []
    a = points[0]
    for b in points[1:]:
        group = opens.get(a)
        if group:
            for item in group:
                insort(covering, item)
        group = closes.get(a)
        if group:
            for item in group:
                covering.remove(item)
        if covering:
            yield a, b, covering
        a = b


def segments(spans: list[Spanlike], start: int, end: int) -> list[tuple[int, int, list[Spanlike]]]:
    """Cut ``[start, end)`` at every span boundary.

    Returns ``(seg_start, seg_end, covering_spans)`` for each piece that at
    least one span covers, covering spans ordered outermost first (longest, then
    leftmost, then by id; ids are unique). A sweep over the boundaries that keeps
    the covering spans in order as they come and go: linear in the number of cuts
    times the (small) number of spans covering a piece.
    """
    if not spans:
        return []
    return [(a, b, [item[3] for item in covering]) for a, b, covering in _sweep(spans, start, end)]


def looks(
    spans: list[Spanlike], start: int, end: int, marked: frozenset[str] = frozenset()
) -> list[tuple[int, int, Look]]:
    """Cut ``[start, end)`` into the longest runs that look the same in the view.

    A run's look is ``(inner, outer, marked_any, marked_inner)``: the category of the
    innermost covering span (the last in :func:`segments`' order), the outermost one's
    when more than one span covers the run (else ``None``), whether any covering span
    is in ``marked``, and whether the innermost one is. Neighbouring pieces with the
    same look make one run; pieces no span covers are left out. The sweep of
    :func:`segments`, written out here because the view runs it for every block.
    """
    if not spans:
        return []
    points, opens, closes = _boundaries(spans, start, end)
    covering: list[_Item] = []
    runs: list[tuple[int, int, Look]] = []
    last: Look | None = None
    last_end = -1
    a = points[0]
    for b in points[1:]:
        group = opens.get(a)
        if group:
            for item in group:
                insort(covering, item)
        group = closes.get(a)
        if group:
            for item in group:
                covering.remove(item)
        if covering:
            inner = covering[-1][3]
            outer = covering[0][3].category if len(covering) > 1 else None
            if marked:
                any_marked = any(item[2] in marked for item in covering)
                look: Look = (inner.category, outer, any_marked, any_marked and inner.id in marked)
            else:
                look = (inner.category, outer, False, False)
            if look == last and a == last_end:
                runs[-1] = (runs[-1][0], b, look)
            else:
                runs.append((a, b, look))
                last = look
            last_end = b
        a = b
    return runs
