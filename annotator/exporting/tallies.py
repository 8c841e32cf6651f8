"""What the summary tables (document_by_category, actor_by_polarity and the
actor × issue network) count, added up while the big tables are written.

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
from annotator.exporting.network import add_edges
from annotator.exporting.summaries import polarity_labels


class Tallies:
    """What the summary tables count, added up one group of documents at a time
    (:meth:`add`), in export order."""

    def __init__(
        self, data: ExportData, actor_tables: bool = False, actor_networks: bool = True
    ) -> None:
        """``actor_tables``: also count stances per actor and the network's edges
        (``by_actor``, ``edges``). The export and the Statistics view take those from
        ``actor_counts.count_actor_stances``, which reads them at a fraction of the
        cost; counted here batch by batch, they are the reference its tests hold it to."""
        self.actor_tables = actor_tables
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
        self.labels = polarity_labels(data)
        self._slot = {label: i for i, label in enumerate(self.labels)}
        # actor id → coder → stances held by polarity, without one, all
        self.by_actor: dict[str, dict[str, list[int]]] = {a.id: {} for a in data.actors}
        # (actor id, actor, issue, coder) → weight, stances by polarity, without one, all
        self.edges: dict[tuple[str, str, str, str], list[float]] = {}
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
        if self.actor_tables:
            others = len(self.labels)
            for ann in links.own_stances:
                stance = links.stances[ann.id]
                actor = stance.holder.actor
                if actor is None or actor.id not in self.by_actor:
                    continue
                coders = self.by_actor[actor.id]
                counts = coders.get(ann.coder)
                if counts is None:
                    counts = coders[ann.coder] = [0] * (others + 2)
                counts[self._slot.get(stance.polarity[0], others)] += 1
                counts[-1] += 1
            add_edges(self.edges, self._slot, data, links)
        self.left_out.add(links)
        if self.actor_networks:
            self.actor_concepts.add(links)


def count_summaries(
    data: ExportData,
    progress: Progress | None = None,
    actor_tables: bool = False,
    actor_networks: bool = True,
) -> Tallies:
    """The summaries' counts over every group of documents: what the export's
    summary tables show when it did not add them up while writing the big tables,
    and what the Statistics view shows (one count for both). ``progress`` hears of
    each group and may cancel between them."""
    tallies = Tallies(data, actor_tables, actor_networks)
    plan = data.plan()
    for done, group in enumerate(plan):
        if progress is not None:
            progress.step(done, len(plan), "counting stances")
        part = data.batch(group)
        tallies.add(part, Links(part))
    return tallies
