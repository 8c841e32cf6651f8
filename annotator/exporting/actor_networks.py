"""One-mode actor networks as the Discourse Network Analyzer computes them.

``actor_congruence`` links two actors by the concepts on which they agree with
each other (both agree, or both disagree, with the concept); ``actor_conflict``
by the concepts on which one agrees and the other disagrees. The statements
are dna_statements.csv's: a stance whose polarity code is positive (agreement
1) or negative (agreement 0), its actor the holder (registry actor, else the
mention's quote), its concept that file's concept.

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
of documents at a time (:class:`ActorConcepts`); the pairs are computed from
them at the end, their size the actors × concepts, not the documents.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from annotator.exporting.claims import Links
from annotator.exporting.data import number_text
from annotator.exporting.dna import agreement
from annotator.exporting.model import ID, NUMBER, STRING, Column, ExportTable, TableBody
from annotator.exporting.network import GRAPHML_NS, Lines, attrib, data_line

CONGRUENCE = "congruence"
CONFLICT = "conflict"
NORMALISATIONS = ("average", "jaccard", "cosine")

# An actor: (registry actor id or "", name or quote).
Actor = tuple[str, str]


class ActorConcepts:
    """Statements per actor, concept and agreement, counted a group at a time."""

    def __init__(self) -> None:
        # actor → (concept, agreement "1"/"0") → statements
        self.counts: dict[Actor, dict[tuple[str, str], int]] = {}
        self._stats: _PairStats | None = None

    def pair_stats(self) -> _PairStats:
        """The pairs' weights, computed once for both networks."""
        if self._stats is None:
            self._stats = _PairStats(self.counts)
        return self._stats

    def add(self, links: Links) -> None:
        for ann in links.own_stances:
            holder, (_label, code), _target = links.stances[ann.id]
            agree = agreement(code)
            if not agree or not holder.who:
                continue
            concept = links.stance_concept(ann)
            if not concept:
                continue
            self._stats = None
            cells = self.counts.setdefault((holder.actor_id, holder.who), {})
            cells[(concept, agree)] = cells.get((concept, agree), 0) + 1


def _number(value: float) -> float | int:
    return int(value) if value.is_integer() else value


class _PairStats:
    """Per actor pair (indexes, first < second): congruence weight (which is
    also Jaccard's m11), conflict weight, and the statements of each on the
    (concept, agreement) cells both have."""

    def __init__(self, counts: dict[Actor, dict[tuple[str, str], int]]) -> None:
        self.actors = sorted(counts, key=lambda a: (a[1].casefold(), a[1], a[0]))
        self.totals = [sum(counts[a].values()) for a in self.actors]
        # concept → agreement → [(actor index, statements)], indexes ascending
        by_concept: dict[str, dict[str, list[tuple[int, int]]]] = {}
        for i, actor in enumerate(self.actors):
            for (concept, agree), n in counts[actor].items():
                by_concept.setdefault(concept, {}).setdefault(agree, []).append((i, n))
        # (i, j) → [congruence, conflict, shared statements of i, of j]
        self.pairs: dict[tuple[int, int], list[int]] = {}
        pairs = self.pairs
        for sides in by_concept.values():
            for holders in sides.values():
                for x, (i, ni) in enumerate(holders):
                    for j, nj in holders[x + 1 :]:
                        stats = pairs.get((i, j))
                        if stats is None:
                            stats = pairs[(i, j)] = [0, 0, 0, 0]
                        stats[0] += ni * nj
                        stats[2] += ni
                        stats[3] += nj
            for i, ni in sides.get("1", ()):
                for j, nj in sides.get("0", ()):
                    if i == j:
                        continue
                    key = (i, j) if i < j else (j, i)
                    stats = pairs.get(key)
                    if stats is None:
                        stats = pairs[key] = [0, 0, 0, 0]
                    stats[1] += ni * nj

    def rows(self, kind: str) -> list[list[object]]:
        """The edge rows of one network, pairs ordered by name (ignoring case), then id."""
        slot = 0 if kind == CONGRUENCE else 1
        actors, totals = self.actors, self.totals
        rows: list[list[object]] = []
        for (i, j), stats in sorted(self.pairs.items()):
            weight = stats[slot]
            if weight <= 0:
                continue
            # Jaccard: m10 + m01 + m11, m11 being the congruence weight.
            jaccard = (totals[i] - stats[2]) + (totals[j] - stats[3]) + stats[0]
            norms = (
                (totals[i] + totals[j]) / 2,
                jaccard,
                math.sqrt(totals[i] ** 2) * math.sqrt(totals[j] ** 2),
            )
            a, b = actors[i], actors[j]
            rows.append(
                [a[0], a[1], b[0], b[1], weight, *(_number(weight / n) if n else 0 for n in norms)]
            )
        return rows


def network_columns(kind: str) -> list[Column]:
    what = "agree with each other" if kind == CONGRUENCE else "disagree with each other"
    return [
        Column("actor_a_id", ID, "the first actor's registry id (empty: an unlinked mention)"),
        Column("actor_a", STRING, "the first actor's registry name, else the mention's quote"),
        Column("actor_b_id", ID, "the second actor's registry id (empty: an unlinked mention)"),
        Column("actor_b", STRING, "the second actor's registry name, else the mention's quote"),
        Column("weight", NUMBER, f"statements on concepts where both {what}, multiplied pairwise"),
        Column("weight_average", NUMBER, "weight / the mean of the two actors' statements"),
        Column("weight_jaccard", NUMBER, "weight / (m10 + m01 + m11), DNA's Jaccard"),
        Column("weight_cosine", NUMBER, "weight / the product of the two actors' statements"),
    ]


def actor_network(concepts: ActorConcepts, kind: str) -> TableBody:
    """``actor_congruence`` or ``actor_conflict``: one row per linked actor pair."""
    return TableBody(network_columns(kind), concepts.pair_stats().rows(kind))


def write_actor_graphml(table: ExportTable, path: Path, check: Callable[[], None]) -> int:
    """A one-mode actor network as GraphML: undirected, nodes with ``label`` and
    ``actor_id``, edges with the four weights; returns the edge count."""
    rows = table.rows if isinstance(table.rows, list) else list(table.rows)
    with path.open("wb") as handle:
        lines = Lines(handle, check)
        lines.add("<?xml version='1.0' encoding='utf-8'?>", f'<graphml xmlns="{GRAPHML_NS}">')
        for i, name in enumerate(("label", "actor_id")):
            lines.add(f' <key id="n{i}" for="node" attr.name="{name}" attr.type="string" />')
        for i, column in enumerate(table.columns[4:]):
            lines.add(f' <key id="e{i}" for="edge" attr.name="{column.name}" attr.type="double" />')
        graph = f' <graph id="{attrib(table.name)}" edgedefault="undirected"'
        lines.add(graph + ">" if rows else graph + " />")
        nodes: dict[tuple[str, str], str] = {}  # (actor id, name) → the escaped node id
        seen: set[str] = set()
        for row in rows:
            ends = []
            for ident, label in ((str(row[0]), str(row[1])), (str(row[2]), str(row[3]))):
                node = nodes.get((ident, label))
                if node is None:
                    # two names may differ only in what XML cannot hold
                    node = nodes[(ident, label)] = attrib(f"actor:{ident or label}")
                    if node not in seen:
                        seen.add(node)
                        lines.add(
                            f'  <node id="{node}">',
                            data_line("   ", "n0", label),
                            data_line("   ", "n1", ident),
                            "  </node>",
                        )
                ends.append(node)
            # The weights are numbers: nothing in them to escape.
            weights = "\n".join(
                f'   <data key="e{i}">{number_text(cell)}</data>' for i, cell in enumerate(row[4:])
            )
            lines.add(f'  <edge source="{ends[0]}" target="{ends[1]}">\n{weights}\n  </edge>')
        if rows:
            lines.add(" </graph>")
        lines.add("</graphml>")
        lines.flush()
    return len(rows)
