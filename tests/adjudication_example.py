"""A sample document coded by two coders, as adjudication tests use it.

"Merkel" is an actor both coders tagged alike; a claim both tagged with the same
span but with different claimants (Ana: her mention of Merkel, Bo: his mention of
Macron, which only he tagged); a stance only Ana coded.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.codebook import Value
from annotator.store.project import Project

TEXT = "Merkel said that Macron wants lower taxes for farmers. Unions reject the plan entirely.\n"


@dataclass(frozen=True)
class Example:
    document_id: str
    merkel: str  # the registry actor ids
    macron: str
    ana_actor: str  # annotation ids
    bo_actor: str
    bo_macron: str  # only Bo tagged Macron
    ana_claim: str
    bo_claim: str
    ana_stance: str


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def build(project: Project) -> Example:
    doc = project.import_text(TEXT, title="Farm taxes")
    codebook = project.codebook()
    merkel = project.add_actor("Angela Merkel")
    macron = project.add_actor("Emmanuel Macron")
    actor_ref = codebook.attribute("actor", "actor")
    claimant = codebook.attribute("claim", "claimant")
    issue = codebook.attribute("claim", "issue")
    polarity = codebook.attribute("stance", "polarity")
    holder = codebook.attribute("stance", "holder")
    target = codebook.attribute("stance", "target")
    assert actor_ref and claimant and issue and polarity and holder and target
    taxes = project.add_choice(issue.id, "taxes", code=1)
    ids: dict[str, str] = {}
    for coder in ("Ana", "Bo"):
        m = project.add_annotation(
            doc.id,
            *_span("Merkel"),
            "actor",
            coder=coder,
            values=[Value(actor_ref.id, actor_id=merkel.id)],
        )
        if coder == "Bo":  # only Bo tagged Macron
            mc = project.add_annotation(
                doc.id,
                *_span("Macron"),
                "actor",
                coder=coder,
                values=[Value(actor_ref.id, actor_id=macron.id)],
            )
        who = m.id if coder == "Ana" else mc.id
        claim = project.add_annotation(
            doc.id,
            *_span("Macron wants lower taxes for farmers"),
            "claim",
            coder=coder,
            values=[
                Value(claimant.id, annotation_id=who),
                Value(issue.id, choice_id=taxes.id),
            ],
        )
        ids[f"{coder}_actor"], ids[f"{coder}_claim"] = m.id, claim.id
    stance = project.add_annotation(
        doc.id,
        *_span("Unions reject the plan entirely"),
        "stance",
        coder="Ana",
        values=[
            Value(polarity.id, choice_id=polarity.choices[0].id),
            Value(holder.id, actor_id=merkel.id),
            Value(target.id, annotation_id=ids["Ana_claim"]),
        ],
    )
    return Example(
        doc.id,
        merkel.id,
        macron.id,
        ids["Ana_actor"],
        ids["Bo_actor"],
        mc.id,
        ids["Ana_claim"],
        ids["Bo_claim"],
        stance.id,
    )
