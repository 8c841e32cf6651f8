"""The Statistics view's actor × polarity and actor × issue tables: the export's
own summary tables (``actor_by_polarity``, ``network_actor_issue``), built from
the same counts (:func:`count_actor_stances`), so the view and an export agree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

from annotator.core.progress import Progress
from annotator.exporting.actor_counts import attribute_ids, count_actor_stances
from annotator.exporting.model import TableBody
from annotator.exporting.network import network_table
from annotator.exporting.summaries import actor_by_polarity
from annotator.store.project import Project
from annotator.store.stance_reads import read_stances
from annotator.store.statistics import count_stances, stances_by_month


class ActorTables(NamedTuple):
    by_polarity: TableBody  # as actor_by_polarity.csv
    by_issue: TableBody  # as network_actor_issue.csv


def actor_tables(
    project: Project,
    progress: Progress | None = None,
    coder: str | None = None,
    on_stances: Callable[[Counter[tuple[str, str]]], None] | None = None,
) -> ActorTables:
    """Both tables of every coder's stances, as an export of all coders writes
    them, or of one coder's, as an export of that coder (``ExportOptions.coder``).
    ``on_stances`` hears the stances over time first (every coder's: from the same
    reads when no coder is asked for)."""
    with project.snapshot():
        codebook = project.codebook()
        actors = project.actors()
        reads = None
        if on_stances is not None:
            if coder is None:
                reads = read_stances(project, attribute_ids(codebook))
                on_stances(stances_by_month(project, reads.stances, reads.polarity))
            else:
                on_stances(count_stances(project))
            if progress is not None:
                progress.check()
        counts = count_actor_stances(project, coder, progress, codebook, actors, reads)
    return ActorTables(actor_by_polarity(actors, counts), network_table(codebook, counts))
