"""What a reference field (claimant, holder, target…) offers, as a coder reads it:
the document's annotations with their quote and paragraph, registry actors, and
borrowed choices (an Issue list)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping

from annotator.core.codebook import Attribute, Codebook, Value
from annotator.core.links import short_quote
from annotator.core.model import Annotation
from annotator.qt.coding.reference_picker import Candidate
from annotator.qt.session import ProjectSession
from annotator.store.errors import ProjectError

QUOTE_MARKS = "\"'“”‘’„«»「」"


def candidates_for(
    attribute: Attribute,
    codebook: Codebook,
    annotation: Annotation,
    document_annotations: Mapping[str, Annotation],
    session: ProjectSession,
) -> list[Candidate]:
    """What a reference attribute may point to, in the order offered."""
    found: list[Candidate] = []
    categories = attribute.target_categories()
    labels = {c.key: c.label for c in codebook.categories}
    paragraph = _paragraphs(session, annotation.document_id) if categories else None
    for ann in document_annotations.values():
        if ann.category in categories and ann.id != annotation.id:
            kind = labels.get(ann.category, ann.category)
            where = f" (paragraph {paragraph(ann.start)})" if paragraph else ""
            # A quote that is itself in quotation marks is not quoted twice.
            quote = short_quote(ann.quote.strip(QUOTE_MARKS))
            label = f"{kind}: “{quote}”{where}"
            found.append(Candidate(label, Value(attribute.id, annotation_id=ann.id), (ann.quote,)))
    if attribute.allows_registry():
        for actor in session.project.actors():
            aliases = f" ({', '.join(actor.aliases)})" if actor.aliases else ""
            prefix = "" if attribute.target_categories() == () else "Registry: "
            found.append(
                Candidate(
                    f"{prefix}{actor.name}{aliases}",
                    Value(attribute.id, actor_id=actor.id),
                    actor.names(),
                )
            )
    source = attribute.choice_source()
    for choice in codebook.choices_for(attribute) if source else ():
        title = source[1].capitalize() if source else ""
        found.append(
            Candidate(
                f"{title}: {choice.label}",
                Value(attribute.id, choice_id=choice.id),
                (choice.label,),
            )
        )
    return found


def _paragraphs(session: ProjectSession, document_id: str) -> Callable[[int], int] | None:
    """Code point → its paragraph's number (1 for the first), as a coder counts them;
    ``None`` when the text cannot be read."""
    try:
        text = session.project.document_text(document_id)
    except (KeyError, ProjectError):
        return None
    breaks = [m.start() for m in re.finditer("\n+", text)]
    return lambda position: bisect.bisect_left(breaks, position) + 1


def kinds_of(attribute: Attribute, codebook: Codebook) -> str:
    """What a reference field takes, as a coder says it: "actor, claim or issue"."""
    labels = {c.key: c.label.lower() for c in codebook.categories}
    kinds = [labels.get(key, key) for key in attribute.target_categories()]
    if attribute.allows_registry():
        kinds.append("registry actor")
    if (source := attribute.choice_source()) and (other := codebook.attribute(*source)):
        kinds.append(other.label.lower())
    kinds = list(dict.fromkeys(kinds))
    return " or ".join([", ".join(kinds[:-1]), kinds[-1]]) if len(kinds) > 1 else kinds[0]
