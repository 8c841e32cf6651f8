"""What document_by_category counts, and the statements of the DNA files and the
one-mode actor networks, added up while the big tables are written (the actor
tables are counted apart: ``actor_counts.count_actor_stances``).

Everything is counted per coder: with several coders' annotations of the same
documents, a sum over them would count each document, stance or statement once
a coder (see the README's "per coder")."""

from __future__ import annotations

from annotator.core.progress import Progress
from annotator.core.types import attribute_type
from annotator.exporting.actor_networks import ActorConcepts
from annotator.exporting.claims import Links
from annotator.exporting.data import ExportData
from annotator.exporting.dna import LeftOut


class Tallies:
    """What the summary tables count, added up one group of documents at a time
    (:meth:`add`), in export order."""

    def __init__(self, data: ExportData, actor_networks: bool = True) -> None:
        self.actor_networks = actor_networks  # gather the one-mode networks' statements
        codebook = data.codebook
        keys: list[tuple[str, str]] = []  # (category key, "") or (attribute id, choice id)
        for category in codebook.categories:
            keys.append((category.key, ""))
        for category in codebook.categories:
            for attribute in codebook.attributes_of(category.key):
                if attribute_type(attribute.type).has_choice_list:
                    keys += [(attribute.id, choice.id) for choice in attribute.choices]
        self.keys = keys
        index = {key: i for i, key in enumerate(keys)}
        # The column of a category's count; of each choice of an attribute.
        self._categories = {key: i for (key, choice), i in index.items() if not choice}
        self._choices: dict[str, dict[str, int]] = {}
        for (attribute_id, choice_id), i in index.items():
            if choice_id:
                self._choices.setdefault(attribute_id, {})[choice_id] = i
        # document id → coder → annotations per category and choice
        self.by_document: dict[str, dict[str, list[int]]] = {d.id: {} for d in data.documents}
        self.left_out = LeftOut()  # stances dna_statements.csv leaves out
        self.actor_concepts = ActorConcepts()  # the one-mode actor networks' statements

    def add(self, data: ExportData, links: Links) -> None:
        """Count one group's annotations and stances (``links`` built from ``data``)."""
        categories, choices = self._categories, self._choices
        values = data.values
        width = len(self.keys)
        for a in data.annotations:
            coders = self.by_document[a.document_id]
            row = coders.get(a.coder)
            if row is None:
                row = coders[a.coder] = [0] * width
            i = categories.get(a.category)
            if i is not None:
                row[i] += 1
            own = values.get(a.id)
            if not own:
                continue
            for attribute_id, value in own.items():
                if value.choice_id is not None and (columns := choices.get(attribute_id)):
                    j = columns.get(value.choice_id)
                    if j is not None:
                        row[j] += 1
        self.left_out.add(links)
        if self.actor_networks:
            self.actor_concepts.add(links)


def count_summaries(
    data: ExportData, progress: Progress | None = None, actor_networks: bool = True
) -> Tallies:
    """The summaries' counts over every group of documents: what the export's
    summary tables show when it did not add them up while writing the big tables.
    ``progress`` hears of each group and may cancel between them."""
    tallies = Tallies(data, actor_networks)
    plan = data.plan()
    for done, group in enumerate(plan):
        if progress is not None:
            progress.step(done, len(plan), "counting stances")
        part = data.batch(group)
        tallies.add(part, Links(part))
    return tallies
