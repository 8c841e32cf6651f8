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

    def add(self, links: Links) -> None:
        for ann in links.own_stances:
            holder, (_label, code), _target = links.stances[ann.id]
            agree = agreement(code)
            if not agree or not holder.who:
                continue
            concept = links.stance_concept(ann)
            if not concept:
                continue
            cells = self.counts.setdefault((holder.actor_id, holder.who), {})
            cells[(concept, agree)] = cells.get((concept, agree), 0) + 1


def _number(value: float) -> float | int:
    return int(value) if value.is_integer() else value


def _pairs(counts: dict[Actor, dict[tuple[str, str], int]], kind: str) -> list[list[object]]:
    """The edge rows of one network, pairs ordered by name (ignoring case), then id."""
    actors = sorted(counts, key=lambda a: (a[1].casefold(), a[1], a[0]))
    totals = {a: sum(counts[a].values()) for a in actors}
    # concept → agreement → [(actor index, statements)]
    by_concept: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for i, actor in enumerate(actors):
        for (concept, agree), n in counts[actor].items():
            by_concept.setdefault(concept, {}).setdefault(agree, []).append((i, n))
    raw: dict[tuple[int, int], int] = {}
    for sides in by_concept.values():
        if kind == CONGRUENCE:
            for holders in sides.values():
                for x, (i, ni) in enumerate(holders):
                    for j, nj in holders[x + 1 :]:
                        key = (min(i, j), max(i, j))
                        raw[key] = raw.get(key, 0) + ni * nj
        else:
            for i, ni in sides.get("1", []):
                for j, nj in sides.get("0", []):
                    if i != j:
                        key = (min(i, j), max(i, j))
                        raw[key] = raw.get(key, 0) + ni * nj
    rows: list[list[object]] = []
    for (i, j), weight in sorted(raw.items()):
        if weight <= 0:
            continue
        a, b = actors[i], actors[j]
        cells_a, cells_b = counts[a], counts[b]
        m10 = sum(n for cell, n in cells_a.items() if cell not in cells_b)
        m01 = sum(n for cell, n in cells_b.items() if cell not in cells_a)
        m11 = sum(n * cells_b[cell] for cell, n in cells_a.items() if cell in cells_b)
        norms = (
            (totals[a] + totals[b]) / 2,
            float(m10 + m01 + m11),
            math.sqrt(totals[a] ** 2) * math.sqrt(totals[b] ** 2),
        )
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
    return TableBody(network_columns(kind), _pairs(concepts.counts, kind))


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
        seen: set[str] = set()
        for row in rows:
            ends = []
            for ident, label in ((str(row[0]), str(row[1])), (str(row[2]), str(row[3]))):
                node = attrib(f"actor:{ident or label}")
                ends.append(node)
                if node in seen:
                    continue
                seen.add(node)
                lines.add(
                    f'  <node id="{node}">',
                    data_line("   ", "n0", label),
                    data_line("   ", "n1", ident),
                    "  </node>",
                )
            lines.add(f'  <edge source="{ends[0]}" target="{ends[1]}">')
            lines.add(
                *(
                    data_line("   ", f"e{i}", number_text(float(cell)))
                    for i, cell in enumerate(row[4:])
                )
            )
            lines.add("  </edge>")
        if rows:
            lines.add(" </graph>")
        lines.add("</graphml>")
        lines.flush()
    return len(rows)
