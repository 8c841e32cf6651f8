"""The stances each actor holds, counted for actor_by_polarity.csv, the actor ×
issue network and the Statistics view's actor tables (one count for all three).

The holder of a stance is what ``Links`` resolves (``exporting/claims.py``): its
holder value's registry actor, directly or through the mention's ``actor`` value;
an unlinked mention is known by its quote (the network's ``actor``), a choice by
its label. A stance's issue is the issue of the claim it targets, else the label
of the choice it targets. Each coder's stances are counted apart; with a coder
given, that coder's stances alone (what an export of one coder counts).

The values are read in a few passes (``store/stance_reads.py``) and joined here
in dictionaries: 20 s of processor time through the export's batches on the
500,000-annotation study project, 4.6 s this way on a busy machine (bench/README.md,
"The actor tables in a few passes").

A network edge's weight is each polarity's code times its stances, added up per
polarity rather than stance by stance: the same number for whole codes (and any
whose sums are exact in binary, such as halves); a code like 0.1 could differ in
the last digit from the batches' sum.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.codebook import Actor, Codebook
from annotator.core.progress import Progress
from annotator.exporting.data import ACTOR, CLAIM, STANCE
from annotator.store.project import Project
from annotator.store.stance_reads import AttributeIds, StanceReads, quotes_of, read_stances

# (actor id, actor, issue, coder) → weight, stances by polarity, without one, all
Edges = dict[tuple[str, str, str, str], list[float]]
# A stance's holder for the network: (registry actor id or "", its name, else
# None and the mention whose quote names it).
Holder = tuple[str, str | None, str | None]


class ActorCounts:
    """What the actor tables show: ``labels`` (the polarity's choices, in order),
    ``by_actor`` (registry actor id → coder → stances by polarity, without one,
    all) and ``edges`` (the network's)."""

    def __init__(self, labels: list[str], actors: Sequence[Actor]) -> None:
        self.labels = labels
        self.by_actor: dict[str, dict[str, list[int]]] = {a.id: {} for a in actors}
        self.edges: Edges = {}


def attribute_ids(codebook: Codebook) -> AttributeIds:
    def key(category: str, attribute: str) -> str:
        found = codebook.attribute(category, attribute)
        return found.id if found is not None else ""

    stance = next((c.id for c in codebook.categories if c.key == STANCE), "")
    shared = any(a.choice_source() == (STANCE, "polarity") for a in codebook.attributes_of(STANCE))
    return AttributeIds(
        stance,
        key(STANCE, "polarity"),
        key(STANCE, "holder"),
        key(STANCE, "target"),
        key(ACTOR, ACTOR),
        key(CLAIM, "issue"),
        shared,
    )


def count_actor_stances(
    project: Project,
    coder: str | None = None,
    progress: Progress | None = None,
    codebook: Codebook | None = None,
    actors: Sequence[Actor] | None = None,
    reads: StanceReads | None = None,
) -> ActorCounts:
    """The actor tables' counts of every coder's stances, or of ``coder``'s.
    ``progress`` may cancel between the reads; ``codebook`` and ``actors`` are the
    project's (read here unless given: an export passes what it read), ``reads``
    those of :func:`read_stances` for ``coder`` if read already."""
    with project.snapshot():
        if codebook is None:
            codebook = project.codebook()
        if actors is None:
            actors = project.actors()
        if reads is None:
            reads = read_stances(project, attribute_ids(codebook), coder)
        if progress is not None:
            progress.step(1, 3, "counting stances")
        polarity = codebook.attribute(STANCE, "polarity")
        labels = [c.label for c in polarity.choices] if polarity is not None else []
        counts = ActorCounts(labels, actors)
        slot = {label: i for i, label in enumerate(labels)}
        others = len(labels)
        choices = {c.id: c for a in codebook.attributes for c in a.choices}
        # A polarity choice's column and code (a choice the codebook no longer has,
        # or none: no_polarity, code 0).
        columns = {ident: slot.get(c.label, others) for ident, c in choices.items()}
        codes = {ident: float(c.code_text) if c.code_text else 0.0 for ident, c in choices.items()}
        names = {a.id: a.name for a in actors}
        coders = reads.coders
        by_actor = counts.by_actor
        # (stance's coder id, holder, issue label, polarity choice id) → stances; the
        # holder as (its registry actor id or "", its name, else the mention to read
        # the quote of).
        grouped: dict[tuple[str, Holder, str, str], int] = {}
        polarity_of, holder_of, target_of = reads.polarity, reads.holder, reads.target
        mention_actor, issue_of = reads.mention_actor, reads.issue
        labels_of = {ident: c.label for ident, c in choices.items()}
        width = others + 2
        for stance_id, coder_id, _document in reads.stances:
            value = holder_of.get(stance_id)
            if value is None:
                continue
            choice_id = polarity_of.get(stance_id, "")
            # The registry actor the stance's holder is (by_actor counts those).
            choice, annotation, actor_id = value
            if annotation is not None:
                actor_id = mention_actor.get(annotation)
            if actor_id is not None and actor_id in by_actor:
                row = by_actor[actor_id].get(coder_id)
                if row is None:
                    row = by_actor[actor_id][coder_id] = [0] * width
                row[columns.get(choice_id, others)] += 1
                row[-1] += 1
                name = names[actor_id]
                holder: Holder = (
                    (actor_id, name, None)
                    if name or annotation is None
                    else (
                        actor_id,
                        None,
                        annotation,
                    )
                )
            elif annotation is not None:  # a mention known by its quote
                holder = ("", None, annotation)
            elif actor_id is None and choice is not None and choice in labels_of:
                holder = ("", labels_of[choice], None)
            else:  # an actor the registry no longer has, or nothing to name
                continue
            # Its issue (the network's).
            target = target_of.get(stance_id)
            if target is None:
                continue
            if target[1] is not None:
                issue_choice = issue_of.get(target[1])
            elif target[2] is None and target[0] is not None:
                issue_choice = target[0]
            else:
                continue
            issue = labels_of.get(issue_choice or "", "")
            if issue:
                key = (coder_id, holder, issue, choice_id)
                grouped[key] = grouped.get(key, 0) + 1
        if progress is not None:
            progress.step(2, 3, "counting stances")
        # The holders known by a quote: mentions without a registry actor's name.
        quotes = quotes_of(project, {h[2] for _c, h, _i, _p in grouped if h[2] is not None})
    # Coder ids to names, in the by_actor counts and the network's edges.
    for actor_id, rows in by_actor.items():
        if rows:
            by_actor[actor_id] = {coders.get(c, c): row for c, row in rows.items()}
    edges = counts.edges
    for (coder_id, (registry, known, annotation), issue, choice_id), n in grouped.items():
        who = known if known is not None else quotes.get(annotation or "", "")
        if not who:
            continue
        pair = (registry, who, issue, coders.get(coder_id, coder_id))
        edge = edges.get(pair)
        if edge is None:
            edge = edges[pair] = [0.0] + [0] * width
        edge[0] += n * codes.get(choice_id, 0.0)
        edge[1 + columns.get(choice_id, others)] += n
        edge[-1] += n
    return counts
