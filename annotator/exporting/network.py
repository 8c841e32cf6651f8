"""Two-mode actor × issue network for discourse network analysis.

An edge joins a stance's holder (its registry actor, directly or through the
mention; an unlinked mention by its quote) and the stance's issue (the issue of
the claim it targets, or the issue it targets directly). Stances without a
holder or an issue are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from annotator.core.codebook import Codebook
from annotator.exporting.data import CLAIM, number_text
from annotator.exporting.model import ID, INTEGER, NUMBER, STRING, Column, ExportTable, TableBody
from annotator.exporting.summaries import CODER, NO_POLARITY, coder_key, label_columns

if TYPE_CHECKING:
    from annotator.exporting.actor_counts import ActorCounts

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def network_table(codebook: Codebook, tallies: ActorCounts) -> TableBody:
    """``network_actor_issue``: one row per (actor, issue) pair."""
    labels = tallies.labels
    issue_attribute = codebook.attribute(CLAIM, "issue")
    issue_codes = {c.label: c.code_text for c in issue_attribute.choices} if issue_attribute else {}
    edges = tallies.edges
    fixed = ("actor_id", "actor", "issue", "issue_code", "weight", NO_POLARITY, "stances", CODER)
    names = label_columns(labels, fixed)
    columns = [
        Column("actor_id", ID, "the holder's registry actor (empty: an unlinked mention)"),
        Column("actor", STRING, "the holder's registry name, else the mention's quote"),
        Column("issue", STRING, "the issue label"),
        Column("issue_code", NUMBER, "the issue's numeric code"),
        Column("weight", NUMBER, "sum of the stances' polarity codes"),
        *(
            Column(n, INTEGER, f"stances with polarity {label}")
            for n, label in zip(names, labels, strict=True)
        ),
        Column(NO_POLARITY, INTEGER, "stances without a polarity"),
        Column("stances", INTEGER, "all stances of the actor on the issue"),
        Column(CODER, STRING, "the coder whose stances these are (each coder's counted apart)"),
    ]
    # Sorted by actor (ignoring case), id, issue and coder: each name folded once.
    folded = {actor: actor.casefold() for _id, actor, _issue, _coder in edges}
    coders = {coder: coder_key(coder) for *_rest, coder in edges}
    order = sorted(edges, key=lambda e: (folded[e[1]], e[1], e[0], e[2], coders[e[3]]))
    rows = []
    for key in order:
        actor_id, actor, issue, coder = key
        counts = edges[key]
        weight = counts[0]
        rows.append(
            [
                actor_id,
                actor,
                issue,
                issue_codes.get(issue, ""),
                int(weight) if weight.is_integer() else weight,
                *map(int, counts[1:]),
                coder,
            ]
        )
    return TableBody(columns, rows)


# What xml.etree.ElementTree escapes in text, and in attribute values.
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIBUTE_ESCAPES = (
    *_TEXT_ESCAPES,
    ('"', "&quot;"),
    ("\r", "&#13;"),
    ("\n", "&#10;"),
    ("\t", "&#09;"),
)


# Characters XML 1.0 cannot hold at all, even as references: the C0 controls but
# tab and line breaks (a PDF's form feed, say), and two non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def _escape(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    """``text`` escaped as ElementTree escapes it; characters XML cannot hold
    become U+FFFD (ElementTree would write them and make the file unreadable)."""
    if _NOT_XML.search(text):
        text = _NOT_XML.sub(REPLACEMENT, text)
    for char, entity in escapes:
        if char in text:
            text = text.replace(char, entity)
    return text


def _attrib(text: str) -> str:
    """An attribute value escaped as xml.etree.ElementTree escapes it."""
    return _escape(text, _ATTRIBUTE_ESCAPES)


def _cdata(text: str) -> str:
    return _escape(text, _TEXT_ESCAPES)


def _data(indent: str, key: str, text: str) -> str:
    if not text:
        return f'{indent}<data key="{key}" />'
    return f'{indent}<data key="{key}">{_cdata(text)}</data>'


_NUMBERS = (int, float)


def _number_data(key: str, cell: float) -> str:
    """An edge's count or weight as :func:`_data` writes it: a number's text has
    nothing to escape and is never empty."""
    text = number_text(cell) if isinstance(cell, float) else str(cell)
    return f'   <data key="{key}">{text}</data>'


class _Lines:
    """Lines written to a file as ``"\n".join`` of all of them would be, a few
    thousand at a time."""

    def __init__(self, handle: BinaryIO, check: Callable[[], None]) -> None:
        self._handle = handle
        self._check = check
        self._lines: list[str] = []
        self._started = False

    def add(self, *lines: str) -> None:
        self._lines += lines
        if len(self._lines) >= 4096:
            self.flush()

    def flush(self) -> None:
        if not self._lines:
            return
        self._check()
        text = "\n".join(self._lines)
        if self._started:
            text = "\n" + text
        self._handle.write(text.encode("utf-8", "xmlcharrefreplace"))
        self._started = True
        self._lines = []


def coder_node(coder: str) -> str:
    """What starts a node's id in a GraphML file holding several coders' networks."""
    return f"coder:{coder}/"


# For the one-mode actor networks' GraphML (actor_networks.py).
Lines = _Lines
attrib = _attrib
data_line = _data


def _carry_on() -> None:
    pass


def write_graphml(table: ExportTable, path: Path, check: Callable[[], None] = _carry_on) -> int:
    """The edge list as GraphML: nodes typed ``actor``/``issue``, edges with the
    weight and the counts; returns the edge count. ``check`` is called every few
    thousand lines (it may raise to stop).

    The text is what ``xml.etree.ElementTree`` writes after ``indent(space=" ")``,
    written directly, a few thousand lines at a time: the tree of a large network
    is slow to build and serialise, and its text large.
    """
    rows = table.rows if isinstance(table.rows, list) else list(table.rows)
    # Each coder's network apart: with several coders, node ids start with the coder.
    several = len({str(row[-1]) for row in rows}) > 1
    with path.open("wb") as handle:
        lines = _Lines(handle, check)
        lines.add("<?xml version='1.0' encoding='utf-8'?>", f'<graphml xmlns="{GRAPHML_NS}">')
        node_keys = (
            ("type", "string"),
            ("label", "string"),
            ("actor_id", "string"),
            (CODER, "string"),
        )
        for i, (name, kind) in enumerate(node_keys):
            lines.add(f' <key id="n{i}" for="node" attr.name="{name}" attr.type="{kind}" />')
        for i, column in enumerate(table.columns[4:]):
            kind = {NUMBER: "double", STRING: "string"}.get(column.type, "int")
            key = (
                f' <key id="e{i}" for="edge" attr.name="{_attrib(column.name)}" attr.type="{kind}"'
            )
            if kind == "int":
                lines.add(key + ">", "  <default>0</default>", " </key>")
            else:
                lines.add(key + " />")
        graph = ' <graph id="actor_issue" edgedefault="undirected"'
        lines.add(graph + ">" if rows else graph + " />")
        seen: set[str] = set()
        node_ids: dict[str, str] = {}  # a node's name → its id, escaped
        edge_keys = [f"e{i}" for i in range(max((len(row) - 4 for row in rows), default=0))]
        for row in rows:
            actor_id, actor, issue, coder = str(row[0]), str(row[1]), str(row[2]), str(row[-1])
            prefix = coder_node(coder) if several else ""
            source = f"{prefix}actor:{actor_id or actor}"
            target = f"{prefix}issue:{issue}"
            for node, kind, label, ident in (
                (source, "actor", actor, actor_id),
                (target, "issue", issue, ""),
            ):
                written = node_ids.get(node)  # two names may differ only in what XML cannot hold
                if written is None:
                    written = node_ids[node] = _attrib(node)
                if written in seen:
                    continue
                seen.add(written)
                lines.add(
                    f'  <node id="{written}">',
                    _data("   ", "n0", kind),
                    _data("   ", "n1", label),
                    _data("   ", "n2", ident),
                    _data("   ", "n3", coder),
                    "  </node>",
                )
            lines.add(f'  <edge source="{node_ids[source]}" target="{node_ids[target]}">')
            lines.add(
                *(
                    _number_data(key, cell)
                    if type(cell) in _NUMBERS
                    else _data("   ", key, str(cell))
                    for key, cell in zip(edge_keys, row[4:], strict=False)
                )
            )
            lines.add("  </edge>")
        if rows:
            lines.add(" </graph>")
        lines.add("</graphml>")
        lines.flush()
    return len(rows)
