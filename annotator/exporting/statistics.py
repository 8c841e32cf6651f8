"""The Statistics view's actor × polarity and actor × issue tables: the export's
own summary tables (``actor_by_polarity``, ``network_actor_issue``), built from
the same counts (:func:`count_summaries`), so the view and an export agree."""

from __future__ import annotations

from typing import NamedTuple

from annotator.core.progress import Progress
from annotator.exporting.data import ExportData
from annotator.exporting.model import TableBody
from annotator.exporting.network import network_table
from annotator.exporting.summaries import actor_by_polarity
from annotator.exporting.tallies import count_summaries
from annotator.store.project import Project


class ActorTables(NamedTuple):
    by_polarity: TableBody  # as actor_by_polarity.csv
    by_issue: TableBody  # as network_actor_issue.csv


def actor_tables(
    project: Project, progress: Progress | None = None, coder: str | None = None
) -> ActorTables:
    """Both tables of every coder's annotations, as an export of all coders writes
    them, or of one coder's, as an export of that coder (``ExportOptions.coder``)."""
    data = ExportData(project, coder)
    tallies = count_summaries(data, progress)
    return ActorTables(actor_by_polarity(data, tallies), network_table(data, tallies))
