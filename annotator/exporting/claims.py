"""claims.csv (one row per claim and linked stance, then every other attribute
of the claim category as in annotations.csv) and statements.csv (the Discourse
Network Analyzer's shape: one row per stance, or per unlinked claim)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from annotator.core.codebook import Attribute, Codebook, Value
from annotator.core.model import Annotation
from annotator.core.types import attribute_type
from annotator.exporting.csv_cells import RAW, CellForm
from annotator.exporting.data import CLAIM, KIND_ANNOTATION, STANCE, ExportData, Reference

CLAIM_COLUMNS = (
    "claim_id",
    "document_id",
    "document_title",
    "document_source",
    "document_date",
    "claim_start",
    "claim_end",
    "claim_quote",
    "coder",
    "claimant_id",
    "claimant_kind",
    "claimant_mention",
    "claimant_actor_id",
    "claimant_actor",
    "claimant_actor_type",
    "claimant_actor_country",
    "issue",
    "issue_code",
    "addressee",
    "addressee_actor",
    "addressee_actor_id",
    "stance_id",
    "stance_quote",
    "stance_holder",
    "stance_holder_actor",
    "stance_holder_actor_id",
    "polarity",
    "polarity_code",
)

STATEMENT_COLUMNS = (
    "statement_id",
    "document_id",
    "document_title",
    "date",
    "coder",
    "actor",
    "actor_id",
    "concept",
    "agreement",
    "polarity",
    "claim_id",
    "target_kind",
)
# The claim's attributes claims.csv has columns of its own for; every other
# attribute of the claim category follows its fixed columns, as in annotations.csv.
CLAIM_OWN = ("claimant", "issue", "addressee")


class _Stance(NamedTuple):
    holder: Reference
    polarity: tuple[str, str]  # label, code text
    target: Reference


class _Claim(NamedTuple):
    claimant: Reference
    issue: tuple[str, str]  # label, code text
    addressee: Reference


class Links:
    """Claims and stances of one group of documents (see ``ExportData.batch``),
    their values resolved, and which stances are linked to which claim (a
    stance's ``target`` is the claim)."""

    def __init__(self, data: ExportData) -> None:
        self.data = data
        ids = {
            name: attribute.id if attribute is not None else ""
            for name, attribute in (
                ("claimant", data.attribute(CLAIM, "claimant")),
                ("issue", data.attribute(CLAIM, "issue")),
                ("addressee", data.attribute(CLAIM, "addressee")),
                ("polarity", data.attribute(STANCE, "polarity")),
                ("holder", data.attribute(STANCE, "holder")),
                ("target", data.attribute(STANCE, "target")),
            )
        }
        nothing: dict[str, Value] = {}
        values = data.values
        self.claims: dict[str, _Claim] = {}  # the group's claims
        self.issues: dict[str, tuple[str, str]] = {}  # every claim read: its issue
        self.stances: dict[str, _Stance] = {}
        self.stances_of: dict[str, list[Annotation]] = {}  # claim id → linked stances
        self.claim_of: dict[str, Annotation] = {}  # stance id → the claim it targets
        # A stance may target another coder's (or another document's) claim.
        for ann in data.annotation_by_id.values():
            if ann.category == CLAIM:
                self.issues[ann.id] = data.choice_cells(
                    values.get(ann.id, nothing).get(ids["issue"])
                )
        for ann in data.annotations:
            if ann.category == CLAIM:
                own = values.get(ann.id, nothing)
                self.claims[ann.id] = _Claim(
                    data.reference(own.get(ids["claimant"])),
                    self.issues[ann.id],
                    data.reference(own.get(ids["addressee"])),
                )
        # The group's stances, then those elsewhere that target its claims; linked
        # to their claims in export order.
        self.own_stances = [ann for ann in data.annotations if ann.category == STANCE]
        stances = self.own_stances
        if data.extra_stances:
            stances = sorted([*stances, *data.extra_stances], key=data.order)
        for ann in stances:
            own = values.get(ann.id, nothing)
            stance = self.stances[ann.id] = _Stance(
                data.reference(own.get(ids["holder"])),
                data.choice_cells(own.get(ids["polarity"])),
                data.reference(own.get(ids["target"])),
            )
            target = stance.target.annotation
            if target is not None and target.category == CLAIM:
                self.stances_of.setdefault(target.id, []).append(ann)
                self.claim_of[ann.id] = target

    def concept(self, claim: Annotation) -> str:
        """A claim's concept: its issue's label, else its quote."""
        return self.issues[claim.id][0] or claim.quote

    def stance_concept(self, stance: Annotation) -> str:
        """The linked claim's concept, else the label of the issue, the name of the
        actor or the quote of the annotation the stance targets."""
        claim = self.claim_of.get(stance.id)
        return self.concept(claim) if claim is not None else self.stances[stance.id].target.who


def claim_attributes(codebook: Codebook) -> list[Attribute]:
    """The claim category's attributes after claims.csv's fixed columns, in codebook order."""
    return [a for a in codebook.attributes_of(CLAIM) if a.key not in CLAIM_OWN]


def _claim_attribute_cells(
    data: ExportData, form: CellForm
) -> Callable[[dict[str, Value]], list[object]]:
    """The function giving a claim's cells of :func:`claim_attributes` (as in
    annotations.csv) from its values."""
    plans = []
    for attribute in claim_attributes(data.codebook):
        kind = attribute_type(attribute.type)
        width = len(kind.columns(attribute, ""))
        cells = kind.cells(attribute, data)
        text = form.many.__getitem__ if kind.repeated_cells else form.one
        plans.append((attribute.id, cells, text, form.blanks(width)))
    quoted = form.quoted

    def row(own: dict[str, Value]) -> list[object]:
        found: list[object] = []
        for attribute_id, cells, text, blanks in plans:
            value = own.get(attribute_id)
            if value is None:
                found += blanks
            elif not quoted:
                found += cells(value)
            else:
                found += map(text, cells(value))
        return found

    return row


def claim_rows(links: Links, form: CellForm = RAW) -> Iterator[list[object]]:
    """claims.csv's rows, their cells in ``form``."""
    data = links.data
    attribute_cells = _claim_attribute_cells(data, form)
    nothing: dict[str, Value] = {}
    one, many, integer = form.one, form.many, form.integer
    refs = data.reference_cells
    no_stance: list[Annotation | None] = [None]
    no_stance_cells = form.blanks(7)
    documents = {
        d.id: [one(d.id), many[d.title], many[d.source], many[d.date]] for d in data.documents
    }
    for claim in data.annotations:
        info = links.claims.get(claim.id)
        if info is None:
            continue
        claimant, actor = info.claimant, info.claimant.actor
        claimant_id, claimant_kind, readable, actor_name = refs(claimant, form)
        addressee = refs(info.addressee, form)
        head: list[object] = [
            one(claim.id),
            *documents[claim.document_id],
            integer(claim.start),
            integer(claim.end),
            one(claim.quote),
            many[claim.coder],
            claimant_id,
            claimant_kind,
            readable if claimant.kind == KIND_ANNOTATION else "",
            many[claimant.actor_id],
            actor_name,
            many[actor.type] if actor is not None else "",
            many[actor.country] if actor is not None else "",
            many[info.issue[0]],
            many[info.issue[1]],
            addressee[2],
            addressee[3],
            many[info.addressee.actor_id],
        ]
        tail: Sequence[object] = attribute_cells(data.values.get(claim.id, nothing))
        for stance in links.stances_of.get(claim.id, no_stance):
            if stance is None:
                yield [*head, *no_stance_cells, *tail]
                continue
            holder, polarity = links.stances[stance.id][:2]
            holder_cells = refs(holder, form)
            yield [
                *head,
                one(stance.id),
                one(stance.quote),
                holder_cells[2],
                holder_cells[3],
                many[holder.actor_id],
                many[polarity[0]],
                many[polarity[1]],
                *tail,
            ]


def statement_rows(links: Links, form: CellForm = RAW) -> Iterator[list[object]]:
    """statements.csv's rows, their cells in ``form``."""
    data = links.data
    one, many = form.one, form.many
    documents = {d.id: [one(d.id), many[d.title], many[d.date]] for d in data.documents}
    for ann in data.annotations:
        if ann.category == STANCE:
            holder, (label, code), target = links.stances[ann.id]
            claim = links.claim_of.get(ann.id)
            concept, claim_id = links.stance_concept(ann), claim.id if claim else ""
            target_kind = target.kind
        elif ann.category == CLAIM and ann.id not in links.stances_of:
            holder, label, code = links.claims[ann.id].claimant, "", ""
            concept, claim_id, target_kind = links.concept(ann), ann.id, ""
        else:
            continue
        yield [
            one(ann.id),
            *documents[ann.document_id],
            many[ann.coder],
            many[holder.who],
            many[holder.actor_id],
            one(concept),
            many[code],
            many[label],
            one(claim_id),
            many[target_kind],
        ]
