"""A small coded project: Putin, a claim on security, two stances on it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from annotator.core.codebook import Actor, Value
from annotator.core.model import Annotation, Document
from annotator.store.project import Project
from annotator.store.values import value_row

TEXT = (
    "Putin said the treaty guarantees security in the region. "
    "Seoul rejected it outright. Washington welcomed the talks. "
    "Analysts doubt it."
)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def header(path: Path, delimiter: str = ",") -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle, delimiter=delimiter))


def write_unchecked(project: Project, annotation_id: str, values: list[Value]) -> None:
    """Store values as another tool may have written them: the store checks what it
    writes itself, but exports must cope with what a file holds."""
    with project.db.atomic():
        project.db["annotation_values"].insert_all(
            [value_row(annotation_id, v) for v in values if not v.is_empty()]
        )


def span(project: Project, doc: Document, needle: str) -> tuple[int, int]:
    start = project.document_text(doc.id).index(needle)
    return start, start + len(needle)


@dataclass
class Example:
    project: Project
    doc: Document
    putin: Actor
    mention: Annotation
    claim: Annotation
    oppose: Annotation
    support: Annotation


def build(project: Project) -> Example:
    codebook = project.codebook()
    attr = codebook.attribute
    doc = project.import_text(TEXT, title="Treaty, “reactions”", source="Yonhap", date="2024-06-20")
    putin = project.add_actor("Vladimir Putin", type="person", country="RU", aliases=["Putin"])
    mention = project.add_annotation(
        doc.id,
        *span(project, doc, "Putin"),
        "actor",
        coder="Ana",
        values=[Value(attr("actor", "actor").id, actor_id=putin.id)],
    )
    security = project.add_choice(attr("claim", "issue").id, "security", code=3)
    claim = project.add_annotation(
        doc.id,
        *span(project, doc, "the treaty guarantees security in the region"),
        "claim",
        coder="Ana",
        values=[
            Value(attr("claim", "claimant").id, annotation_id=mention.id),
            Value(attr("claim", "issue").id, choice_id=security.id),
        ],
    )
    polarity = {c.label: c for c in attr("stance", "polarity").choices}

    def stance(needle: str, label: str) -> Annotation:
        return project.add_annotation(
            doc.id,
            *span(project, doc, needle),
            "stance",
            coder="Bo",
            values=[
                Value(attr("stance", "polarity").id, choice_id=polarity[label].id),
                Value(attr("stance", "holder").id, annotation_id=mention.id),
                Value(attr("stance", "target").id, annotation_id=claim.id),
            ],
        )

    oppose = stance("rejected it outright", "oppose")
    support = stance("welcomed the talks", "support")
    return Example(project, doc, putin, mention, claim, oppose, support)


# -- a text in three scripts, for exports that count positions (REFI-QDA) --------------------
MIXED_TEXT = (
    "🇰🇷 Seoul 😀: “서울 정부는 조약을 거부했다.” "
    "Putin said the treaty 🤝 guarantees security. "
    "윤 대통령은 회담을 환영했다 — “a good day”."
)


def build_mixed(project: Project) -> Example:
    """The example's annotations on :data:`MIXED_TEXT`: Korean, astral characters
    (emoji, a flag of two code points) and curly quotes before and inside the spans,
    so that code points, UTF-16 units and UTF-8 bytes all differ."""
    codebook = project.codebook()
    attr = codebook.attribute
    doc = project.import_text(MIXED_TEXT, title="“회담” 🤝", source="Yonhap", date="2024-06")
    putin = project.add_actor("Vladimir Putin", type="person", country="RU", aliases=["Putin"])
    mention = project.add_annotation(
        doc.id,
        *span(project, doc, "Putin"),
        "actor",
        coder="Ana",
        values=[Value(attr("actor", "actor").id, actor_id=putin.id)],
    )
    claim = project.add_annotation(
        doc.id,
        *span(project, doc, "the treaty 🤝 guarantees security"),
        "claim",
        coder="Ana",
        values=[Value(attr("claim", "claimant").id, annotation_id=mention.id)],
    )
    polarity = {c.label: c for c in attr("stance", "polarity").choices}

    def stance(needle: str, label: str) -> Annotation:
        return project.add_annotation(
            doc.id,
            *span(project, doc, needle),
            "stance",
            coder="민지",
            values=[
                Value(attr("stance", "polarity").id, choice_id=polarity[label].id),
                Value(attr("stance", "target").id, annotation_id=claim.id),
            ],
        )

    oppose = stance("조약을 거부했다", "oppose")
    support = stance("회담을 환영했다", "support")
    return Example(project, doc, putin, mention, claim, oppose, support)
