"""A small project two or three coders coded, for the agreement tests.

Document 1 (both ann and bob, and cat where asked): each codes the actor "Merkel" (with
the registry actor), one claim by Merkel on taxes and four stances on the same spans,
whose polarities are support/support, oppose/support, support/support, oppose/oppose;
ann also codes a fifth stance nobody else codes. Document 2 only ann coded.
"""

from __future__ import annotations

from pathlib import Path

from annotator.core.codebook import Value
from annotator.store.project import Project, create_project

TEXT = (
    "Merkel demands higher taxes on wealth. Unions support it. Bankers oppose it. "
    "Farmers back it. Pilots reject it. Teachers stay silent about it."
)
STANCES = ["Unions support it.", "Bankers oppose it.", "Farmers back it.", "Pilots reject it."]
POLARITIES = {
    "ann": ["support", "oppose", "support", "oppose"],
    "bob": ["support", "support", "support", "oppose"],
    "cat": ["support", "oppose", "support", "support"],
}


def build(path: Path, coders: tuple[str, ...] = ("ann", "bob")) -> tuple[Project, dict[str, str]]:
    project = create_project(path)
    doc = project.import_text(TEXT, title="Taxes")
    other = project.import_text("Only one coder read this text.", title="Solo")
    codebook = project.codebook()
    issue = codebook.attribute("claim", "issue")
    taxes = project.add_choice(issue.id, "taxes", code=1)
    codebook = project.codebook()
    polarity = codebook.attribute("stance", "polarity")
    choice = {c.label: c.id for c in polarity.choices}
    link = codebook.attribute("actor", "actor")
    claimant = codebook.attribute("claim", "claimant")
    target = codebook.attribute("stance", "target")
    merkel = project.add_actor("Angela Merkel", aliases=["Merkel"])
    ids: dict[str, str] = {"doc": doc.id, "other": other.id, "merkel": merkel.id}
    for coder in coders:
        mention = project.add_annotation(
            doc.id, 0, 6, "actor", coder=coder, values=[Value(link.id, actor_id=merkel.id)]
        )
        # ann names the claimant through her mention, the others through the registry.
        who = (
            Value(claimant.id, annotation_id=mention.id)
            if coder == "ann"
            else Value(claimant.id, actor_id=merkel.id)
        )
        end = TEXT.index(".") + 1
        claim = project.add_annotation(
            doc.id,
            0,
            end,
            "claim",
            coder=coder,
            values=[who, Value(issue.id, choice_id=taxes.id)],
        )
        ids[f"{coder}_claim"] = claim.id
        for n, quote in enumerate(STANCES):
            start = TEXT.index(quote)
            values = [Value(polarity.id, choice_id=choice[POLARITIES[coder][n]])]
            if n == 0:
                values.append(Value(target.id, annotation_id=claim.id))
            project.add_annotation(
                doc.id, start, start + len(quote), "stance", coder=coder, values=values
            )
    start = TEXT.index("Teachers")
    project.add_annotation(doc.id, start, len(TEXT), "stance", coder="ann")
    project.add_annotation(other.id, 0, 4, "actor", coder="ann")
    return project, ids
