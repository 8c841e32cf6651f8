"""Tag hits of the corpus search: every selected hit, widened to whole words as a
selection in the text is, as one step on the window's undo stack."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.corpus_query import Hit
from annotator.core.spans import normalise_span
from annotator.qt.commands import AddAnnotations, NewAnnotation
from annotator.store.errors import ProjectError

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow


def tag_hits(window: MainWindow, hits: list[Hit], category: str) -> str:
    """Push one command that tags ``hits`` with ``category``; what to tell the user."""
    session = window.session
    if session is None or not hits:
        return "Select the hits to tag."
    if window.project.read_only:
        return "The project is open read-only: nothing can be tagged here."
    specs: list[NewAnnotation] = []
    for hit in hits:
        try:
            text = window.project.document_text(hit.document_id)
        except (KeyError, ProjectError) as exc:
            return f"Could not tag: {exc}"
        span = normalise_span(text, hit.start, hit.end)
        if span is None:
            continue
        spec = NewAnnotation(hit.document_id, span[0], span[1], category)
        if spec not in specs:
            specs.append(spec)
    labels = {c.key: c.label for c in window.project.categories()}
    name = labels.get(category, category)
    count = len(specs)
    text = f"Tag {count} hit{'' if count == 1 else 's'} as {name}"
    command = AddAnnotations(session, specs, text)
    window.undo_stack.push(command)  # runs it; a failure tells the session
    if not command.records:
        return "Nothing was tagged."
    return f"Tagged {count} hit{'' if count == 1 else 's'} as {name} (Ctrl+Z undoes it)."
