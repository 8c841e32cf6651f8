"""dna_statements.csv: the stances in the Discourse Network Analyzer's shape.

DNA's statement event list has one row per statement: who (a person, an
organization), what (a concept) and whether they agree with it, as ``1``
(agreement) or ``0`` (disagreement), with where it stands in which document.
Its cells are separated by ``;``.

A stance is a statement when its polarity has a code of one sign: a positive
code (``support``, 1) is agreement ``1``, a negative one (``oppose``, -1) is
``0``. A stance whose polarity has the code 0 (``neutral``) or no code
(``ambivalent``) is left out, DNA having no third value, and counted for the
export's warnings (see :class:`LeftOut`); so is, silently, a stance without a
polarity (a project may not code polarity at all; ``incomplete`` flags it where
the polarity is required). The holder's
registry actor goes to ``person`` when its registry type is ``person`` (in
any case), else to ``organization``; a holder mention not linked to the
registry goes to ``organization`` with its quote. The concept is the one
statements.csv gives.
"""

from __future__ import annotations

from collections.abc import Iterator

from annotator.exporting.claims import Links
from annotator.exporting.data import STANCE
from annotator.exporting.model import DATE, ID, INTEGER, STRING, Column

DELIMITER = ";"
PERSON = "person"  # the registry type that makes an actor a person
AGREEMENT_LABELS = (("1", "agreement (support)"), ("0", "disagreement (oppose)"))

DNA_COLUMNS = (
    "statement_id",
    "time",
    "person",
    "organization",
    "concept",
    "agreement",
    "start",
    "stop",
    "text",
    "coder",
    "document_id",
    "document_title",
    "document_author",
    "document_source",
)

DNA_SPECS = [
    Column("statement_id", ID, "the stance's annotation id; joins annotations.csv"),
    Column("time", DATE, "the document's date (YYYY-MM-DD; empty where unknown)"),
    Column(
        "person",
        STRING,
        "the holder's registry actor name when its registry type is `person` (any case); "
        "else empty",
    ),
    Column(
        "organization",
        STRING,
        "the holder's registry actor name when its registry type is anything but `person`; "
        "the mention's quote for a holder not linked to the registry; else empty",
    ),
    Column("concept", STRING, "as statements.csv's concept: the targeted claim's issue…"),
    Column(
        "agreement",
        INTEGER,
        "1 where the polarity code is positive (support), 0 where it is negative (oppose); "
        "stances with code 0 (neutral), no code (ambivalent) or no polarity are left out",
        AGREEMENT_LABELS,
    ),
    Column("start", INTEGER, "start of the stance in code points (0-based)"),
    Column("stop", INTEGER, "end of the stance in code points (exclusive)"),
    Column("text", STRING, "the stance's quote"),
    Column("coder", STRING, "who coded the stance"),
    Column("document_id", ID, "the document; joins documents.csv"),
    Column("document_title", STRING, "the document's title"),
    Column("document_author", STRING, "the document's author"),
    Column("document_source", STRING, "the document's source"),
]


def agreement(code: str) -> str:
    """DNA's agreement for a polarity code: ``1``, ``0``, or empty (left out)."""
    try:
        number = float(code)
    except ValueError:
        return ""
    return "1" if number > 0 else "0" if number < 0 else ""


class LeftOut:
    """The stances with a polarity dna_statements.csv leaves out, by polarity
    label, counted a group of documents at a time."""

    def __init__(self) -> None:
        self.by_label: dict[str, int] = {}

    def add(self, links: Links) -> None:
        for ann in links.own_stances:
            label, code = links.stances[ann.id].polarity
            if label and not agreement(code):
                self.by_label[label] = self.by_label.get(label, 0) + 1

    def warnings(self) -> list[str]:
        total = sum(self.by_label.values())
        if not total:
            return []
        counts = ", ".join(f"{count:,} {label}" for label, count in self.by_label.items())
        stances = "stance" if total == 1 else "stances"
        return [
            f"dna_statements.csv leaves out {total:,} {stances} whose polarity is neither "
            f"agreement nor disagreement ({counts}): the Discourse Network Analyzer's "
            "agreement is 1 or 0; statements.csv has them"
        ]


def dna_rows(links: Links) -> Iterator[list[object]]:
    """dna_statements.csv's rows (values; written with :data:`DELIMITER`)."""
    data = links.data
    documents = {d.id: (d.date, d.id, d.title, d.author, d.source) for d in data.documents}
    for ann in data.annotations:
        if ann.category != STANCE:
            continue
        holder, (_label, code), _target = links.stances[ann.id]
        agree = agreement(code)
        if not agree:
            continue
        actor = holder.actor
        is_person = actor is not None and actor.type.strip().casefold() == PERSON
        date, *document = documents[ann.document_id]
        yield [
            ann.id,
            date,
            holder.who if is_person else "",
            "" if is_person else holder.who,
            links.stance_concept(ann),
            agree,
            ann.start,
            ann.end,
            ann.quote,
            ann.coder,
            *document,
        ]
