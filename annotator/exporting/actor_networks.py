"""One-mode actor networks as the Discourse Network Analyzer computes them.

``actor_congruence`` links two actors by the concepts on which they agree with
each other (both agree, or both disagree, with the concept); ``actor_conflict``
by the concepts on which one agrees and the other disagrees. The statements
are dna_statements.csv's: a stance whose polarity code is positive (agreement
1) or negative (agreement 0), its concept that file's concept, its actor the
registry actor of its holder (the holder mention's actor, or the actor it names
directly). The nodes are registry actors, as DNA's are persons and
organisations: a statement whose holder is a mention not linked to the registry
(or that has no holder) is left out, and the export's warnings and the data
dictionary count them. Grouping such mentions by their quote would make every
spelling a node of its own and the edges grow with the mentions, not the
registry.

The weights follow DNA's network exporter (leifeld/dna,
``dna/src/main/java/export/Exporter.java``, one-mode networks with qualifier
aggregation ``congruence`` / ``conflict``): with ``n[a][c][q]`` the number of
statements of actor ``a`` on concept ``c`` with agreement ``q``,

- congruence ``w(a, b) = Σ_c Σ_q n[a][c][q] · n[b][c][q]``;
- conflict ``w(a, b) = Σ_c (n[a][c][1] · n[b][c][0] + n[a][c][0] · n[b][c][1])``.

and the normalisations divide that weight by

- ``average`` (DNA's "average activity"): ``(N_a + N_b) / 2``, ``N`` an actor's
  statements;
- ``jaccard``: ``m10 + m01 + m11`` over the (concept, agreement) cells, ``m10``
  the statements of ``a`` in cells where ``b`` has none, ``m01`` the reverse,
  ``m11`` the sum of ``n[a] · n[b]`` in cells both have;
- ``cosine``: ``N_a · N_b`` (DNA writes ``sqrt(N_a²) · sqrt(N_b²)``).

Only pairs with a weight above 0 are listed. The counts are gathered a group
of documents at a time (:class:`ActorConcepts`, its size the registry actors ×
concepts); the edges are computed from them an actor at a time while they are
written, in a fixed order (names ignoring case, then ids), so that what is held
is one actor's pairs, never the edge list.
"""

from __future__ import annotations

import itertools
import sys
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from annotator.exporting.claims import Links
from annotator.exporting.dna import agreement
from annotator.exporting.model import ID, NUMBER, STRING, Column, ExportTable, TableBody
from annotator.exporting.network import GRAPHML_NS, Lines, attrib, coder_node, data_line
from annotator.exporting.summaries import CODER, coder_key

CONGRUENCE = "congruence"
CONFLICT = "conflict"
NORMALISATIONS = ("average", "jaccard", "cosine")

# A statement's cell: (concept, agreement "1"/"0").
Cell = tuple[str, str]


class ActorConcepts:
    """Statements per coder, registry actor, concept and agreement, counted a
    group at a time.

    The networks' nodes are registry actors, as DNA's are persons and
    organisations: a statement whose holder is a mention not linked to the
    registry (or that has no holder) is left out and counted in ``unlinked``; one
    without a concept (a stance that targets nothing) cannot meet another on a
    concept and is left out, counted in ``without_concept`` (each actor's count of
    statements, which the normalised weights divide by, leaves it out too).
    Each coder's statements make a network of their own."""

    def __init__(self) -> None:
        # coder → actor id → cell → statements
        self.counts: dict[str, dict[str, dict[Cell, int]]] = {}
        self.names: dict[str, str] = {}  # actor id → registry name
        self.unlinked = 0  # statements left out: no registry actor holds them
        self.without_concept = 0  # statements left out: they target nothing

    def coders(self) -> list[str]:
        """The coders with statements, in the networks' order."""
        return sorted(self.counts, key=coder_key)

    def add(self, links: Links) -> None:
        for ann in links.own_stances:
            holder, (_label, code), _target = links.stances[ann.id]
            agree = agreement(code)
            if not agree:
                continue
            concept = links.stance_concept(ann)
            if not concept:
                self.without_concept += 1
                continue
            actor = holder.actor
            if actor is None:
                self.unlinked += 1
                continue
            self.names[actor.id] = actor.name
            cells = self.counts.setdefault(ann.coder, {}).setdefault(actor.id, {})
            cells[(concept, agree)] = cells.get((concept, agree), 0) + 1

    def warnings(self) -> list[str]:
        found = []
        if self.unlinked:
            statements = "statement" if self.unlinked == 1 else "statements"
            found.append(
                f"actor_congruence and actor_conflict leave out {self.unlinked:,} {statements} "
                "whose holder is not linked to a registry actor (an unlinked mention, or none): "
                "the networks' nodes are registry actors; dna_statements.csv has them"
            )
        if self.without_concept:
            statements = "statement" if self.without_concept == 1 else "statements"
            found.append(
                f"actor_congruence and actor_conflict leave out {self.without_concept:,} "
                f"{statements} without a concept (a stance that targets nothing): they meet "
                "no other statement on a concept, and the actors' counts of statements leave "
                "them out too; dna_statements.csv has them"
            )
        return found

    def note(self) -> str:
        """The sentence the data dictionary adds to the networks' descriptions."""
        note = (
            "; nodes are registry actors: statements whose holder is not linked to one are "
            f"left out ({self.unlinked:,} in this export)"
        )
        if self.without_concept:
            note += (
                "; statements without a concept (a stance that targets nothing) are left out"
                f" too, also from each actor's count of statements ({self.without_concept:,})"
            )
        return note

    def most_pairs(self) -> int:
        """How many rows a network can have at most: every pair of actors, a coder
        at a time."""
        return sum(len(actors) * (len(actors) - 1) // 2 for actors in self.counts.values())

    def rows(self, kind: str) -> Iterator[list[object]]:
        """The edge rows of one network: each coder's (see :meth:`coders`), its
        pairs ordered by name (ignoring case), then id."""
        for coder in self.coders():
            yield from self._rows(self.counts[coder], kind, coder)

    def _rows(
        self, counts: dict[str, dict[Cell, int]], kind: str, coder: str
    ) -> Iterator[list[object]]:
        """One coder's edge rows, computed an actor at a time from the per-concept
        tallies: what is held is the tallies (and :class:`_Cells`) and one actor's
        pairs, never the edge list."""
        names = self.names
        order = sorted(counts, key=lambda a: (names[a].casefold(), names[a], a))
        cells = _Cells(counts, order)
        size = len(order)
        totals = [sum(counts[a].values()) for a in order]
        nothing = _unpack(0, size)
        conflict = kind == CONFLICT
        for i, actor in enumerate(order):
            # Over every later actor j, from the crowded cells: the weight, m11 (the
            # congruence weight) and the statements of i and of j in the cells both
            # have, as packed vectors; from the other cells, the same in ``few``.
            weight = m11 = shared_i = shared_j = 0
            few: dict[int, list[int]] = {}
            for (concept, agree), n in counts[actor].items():
                cell = (concept, agree)
                packed = cells.packed.get(cell)
                if packed is not None:
                    m11 += n * packed
                    shared_i += n * cells.present[cell]
                    shared_j += packed
                else:
                    for j, n_j in cells.later(cell, i):
                        stats = few.setdefault(j, [0, 0, 0, 0])
                        stats[1] += n * n_j
                        stats[2] += n
                        stats[3] += n_j
                if not conflict:
                    continue
                opposite = (concept, "0" if agree == "1" else "1")
                packed = cells.packed.get(opposite)
                if packed is not None:
                    weight += n * packed
                else:
                    for j, n_j in cells.later(opposite, i):
                        few.setdefault(j, [0, 0, 0, 0])[0] += n * n_j
            if not conflict:
                weight = m11
            if weight:
                weights = _unpack(weight, size)
                linked = set(itertools.compress(range(i + 1, size), weights[i + 1 :]))
            else:
                weights, linked = nothing, set()
            linked.update(few)
            if not linked:
                continue
            congruent = _unpack(m11, size) if m11 else nothing
            mine = _unpack(shared_i, size) if shared_i else nothing
            theirs = _unpack(shared_j, size) if shared_j else nothing
            n_i = totals[i]
            slot = 0 if conflict else 1
            for j in sorted(linked):
                more = few.get(j, _NONE)
                w = weights[j] + more[slot]
                if not w:
                    continue
                # Jaccard: m10 + m01 + m11
                both = congruent[j] + more[1]
                n_j = totals[j]
                jaccard = (n_i - mine[j] - more[2]) + (n_j - theirs[j] - more[3]) + both
                b = order[j]
                # The normalised weights, whole ones as integers (no norm is 0: both
                # actors have statements, and so has the Jaccard union), written as
                # text here once for the CSV and the GraphML (as str() writes them).
                twice, total, product = 2 * w, n_i + n_j, n_i * n_j
                yield [
                    actor,
                    names[actor],
                    b,
                    names[b],
                    w,
                    f"{twice / total if twice % total else twice // total}",
                    f"{w / jaccard if w % jaccard else w // jaccard}",
                    f"{w / product if w % product else w // product}",
                    coder,
                ]


_NONE = (0, 0, 0, 0)


class _Cells:
    """The actors holding statements in each (concept, agreement) cell, by their
    index in the networks' order.

    A crowded cell (held by at least 1/8 of the actors) is kept as packed vectors
    over all the actors (see :func:`_pack`): its statements, and 1 where an actor
    has any. The others are kept as lists, and their pairs are visited one by
    one. The packed vectors take at most 16 bytes × 8 for each (actor, cell)
    count, however many concepts there are."""

    def __init__(self, counts: dict[str, dict[Cell, int]], order: list[str]) -> None:
        by_cell: dict[Cell, dict[int, int]] = {}
        for i, actor in enumerate(order):
            for cell, n in counts[actor].items():
                by_cell.setdefault(cell, {})[i] = n
        size = len(order)
        crowded = max(2, size // 8)
        self.packed: dict[Cell, int] = {}
        self.present: dict[Cell, int] = {}
        self.sparse: dict[Cell, tuple[list[int], list[int]]] = {}
        for cell, held in by_cell.items():
            if len(held) >= crowded:
                self.packed[cell] = _pack(held, size)
                self.present[cell] = _pack(dict.fromkeys(held, 1), size)
            else:  # indexes ascending, as the actors were enumerated
                self.sparse[cell] = (list(held), list(held.values()))

    def later(self, cell: Cell, i: int) -> Iterator[tuple[int, int]]:
        """The actors after ``i`` in a cell that is not packed, and their statements."""
        held = self.sparse.get(cell)
        if held is None:
            return iter(())
        ids, ns = held
        start = bisect_right(ids, i)
        return zip(ids[start:], ns[start:], strict=True)


# Pure Python has no vector arithmetic, but its integers are arbitrary-precision:
# a vector of counts over the actors is packed into one integer, 8 bytes a count,
# so that adding up an actor's cells is a few integer operations done in C. The
# counts and weights are never negative and stay far below 2**64 (a weight is at
# most the product of two actors' statements), so the fields never carry into
# each other.
_FIELD = 8


def _pack(counts: dict[int, int], size: int) -> int:
    """Counts by actor index as one integer, ``size`` fields of 8 bytes."""
    data = bytearray(size * _FIELD)
    fields = memoryview(data).cast("Q")
    for index, count in counts.items():
        fields[index] = count
    fields.release()
    return int.from_bytes(data, sys.byteorder)


def _unpack(packed: int, size: int) -> memoryview:
    """The counts by actor index of :func:`_pack` (or of a sum of such integers)."""
    return memoryview(packed.to_bytes(size * _FIELD, sys.byteorder)).cast("Q")


def network_columns(kind: str) -> list[Column]:
    what = "agree with each other" if kind == CONGRUENCE else "disagree with each other"
    return [
        Column("actor_a_id", ID, "the first actor's registry id; joins actors.csv"),
        Column("actor_a", STRING, "the first actor's registry name"),
        Column("actor_b_id", ID, "the second actor's registry id; joins actors.csv"),
        Column("actor_b", STRING, "the second actor's registry name"),
        Column("weight", NUMBER, f"statements on concepts where both {what}, multiplied pairwise"),
        Column("weight_average", NUMBER, "weight / the mean of the two actors' statements"),
        Column("weight_jaccard", NUMBER, "weight / (m10 + m01 + m11), DNA's Jaccard"),
        Column("weight_cosine", NUMBER, "weight / the product of the two actors' statements"),
        Column(CODER, STRING, "the coder whose statements these are (each coder's network apart)"),
    ]


# The rows a network may keep after its first reading (its CSV), so that its
# GraphML does not compute them again: about 260 bytes a row (23 MB for the
# 89,700 rows of the two networks of bench/export_variants.py's export100k), so
# at most about 16 MB a network. A network that may be larger is computed anew.
KEPT_ROWS = 60_000


class Edges:
    """A network's edge rows, computed from the tallies when read; kept for the
    next reading when there can be at most :data:`KEPT_ROWS` of them."""

    def __init__(self, concepts: ActorConcepts, kind: str) -> None:
        self.concepts, self.kind = concepts, kind
        self._kept: list[list[object]] | None = None

    def __iter__(self) -> Iterator[list[object]]:
        if self._kept is None and self.concepts.most_pairs() <= KEPT_ROWS:
            self._kept = list(self.concepts.rows(self.kind))
        if self._kept is not None:
            return iter(self._kept)
        return self.concepts.rows(self.kind)


def actor_network(concepts: ActorConcepts, kind: str) -> TableBody:
    """``actor_congruence`` or ``actor_conflict``: one row per linked actor pair."""
    return TableBody(network_columns(kind), Edges(concepts, kind))


def write_actor_graphml(table: ExportTable, path: Path, check: Callable[[], None]) -> int:
    """A one-mode actor network as GraphML: undirected, nodes with ``label``,
    ``actor_id`` and ``coder``, edges with the four weights and the coder (with
    several coders, node ids start with the coder); returns the edge count."""
    rows_of = table.rows
    if isinstance(rows_of, Edges):
        several = len(rows_of.concepts.counts) > 1
    else:
        several = len({str(row[-1]) for row in rows_of}) > 1
    graphml = ActorGraphml(table, path, check, several)
    try:
        graphml.add(rows_of)
    except BaseException:
        graphml.abandon()
        raise
    return graphml.finish()


def graphml_feed(table: ExportTable, path: Path, check: Callable[[], None]) -> ActorGraphml | None:
    """The GraphML of a network whose rows are computed when read (:class:`Edges`),
    to be given the rows while its CSV file is written, so that they are computed
    once; None for rows held in a list (written from them afterwards)."""
    rows_of = table.rows
    if not isinstance(rows_of, Edges):
        return None
    return ActorGraphml(table, path, check, len(rows_of.concepts.counts) > 1)


class ActorGraphml:
    """The GraphML file of :func:`write_actor_graphml`, given its rows a piece at a
    time (:meth:`add`), in order; :meth:`finish` ends it and says how many edges."""

    def __init__(
        self, table: ExportTable, path: Path, check: Callable[[], None], several: bool
    ) -> None:
        self._several = several
        self._handle = path.open("wb")
        self.count = 0
        lines = self._lines = Lines(self._handle, check)
        lines.add("<?xml version='1.0' encoding='utf-8'?>", f'<graphml xmlns="{GRAPHML_NS}">')
        for i, name in enumerate(("label", "actor_id", CODER)):
            lines.add(f' <key id="n{i}" for="node" attr.name="{name}" attr.type="string" />')
        for i, column in enumerate(table.columns[4:]):
            kind = "string" if column.name == CODER else "double"
            lines.add(f' <key id="e{i}" for="edge" attr.name="{column.name}" attr.type="{kind}" />')
        self._graph = f' <graph id="{attrib(table.name)}" edgedefault="undirected"'
        self._nodes: dict[object, str] = {}  # registry actor id → the escaped node id
        # The rows come a coder at a time.
        self._coder: str | None = None
        self._prefix = self._coder_line = ""

    def add(self, rows: Iterable[Sequence[object]]) -> None:
        lines, nodes, count = self._lines, self._nodes, self.count
        coder, prefix, coder_line = self._coder, self._prefix, self._coder_line
        for row in rows:
            if not count:
                lines.add(self._graph + ">")
            count += 1
            if row[-1] != coder or coder is None:
                coder = str(row[-1])
                prefix = coder_node(coder) if self._several else ""
                coder_line = data_line("   ", "e4", coder)
                nodes = {}
            source, target = nodes.get(row[0]), nodes.get(row[2])
            if source is None:
                source = nodes[row[0]] = _node(lines, prefix, str(row[0]), str(row[1]), coder)
            if target is None:
                target = nodes[row[2]] = _node(lines, prefix, str(row[2]), str(row[3]), coder)
            # The weights are numbers (an int, or text written from a number): nothing
            # in them to escape.
            w, average, jaccard, cosine = row[4:8]
            lines.add(
                f'  <edge source="{source}" target="{target}">\n'
                f'   <data key="e0">{w}</data>\n   <data key="e1">{average}</data>\n'
                f'   <data key="e2">{jaccard}</data>\n   <data key="e3">{cosine}</data>\n'
                f"{coder_line}\n  </edge>"
            )
        self._nodes, self.count = nodes, count
        self._coder, self._prefix, self._coder_line = coder, prefix, coder_line

    def finish(self) -> int:
        """End the file (the first time) and return the number of edges."""
        if self._handle.closed:
            return self.count
        lines = self._lines
        if self.count:
            lines.add(" </graph>", "</graphml>")
        else:
            lines.add(self._graph + " />", "</graphml>")
        with self._handle:
            lines.flush()
        return self.count

    def abandon(self) -> None:
        self._handle.close()


def _node(lines: Lines, prefix: str, ident: str, label: str, coder: str) -> str:
    """Write the node of the actor ``ident`` in a coder's network; return its escaped id."""
    node = attrib(f"{prefix}actor:{ident}")
    lines.add(
        f'  <node id="{node}">',
        data_line("   ", "n0", label),
        data_line("   ", "n1", ident),
        data_line("   ", "n2", coder),
        "  </node>",
    )
    return node
