"""Coding as a team: preparing coder copies and merging coders' files.

``prepare_coder_copies`` writes one project file per coder and records in the
lead's project who was given what; ``merge_coder_files`` brings coders' files
back, one transaction per file after one verified backup. Neither is undone
through the undo history (the backup before a merge is the way back): their
results have no ``undo``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.core.progress import Cancelled, Progress, Report
from annotator.core.team import MergeReport, Plan, deal_documents
from annotator.ops.changes import NOTHING, Changes, Result, changed
from annotator.store.errors import OlderProjectError, ProjectError
from annotator.store.project import Project, open_project
from annotator.store.team import connect_beside, copy_file_name


@dataclass(frozen=True)
class Prepared:
    """The coder copies written: the plan and, per coder, the file."""

    plan: Plan
    files: dict[str, Path]

    def lines(self) -> list[str]:
        sample = len(self.plan.sample)
        out = [
            f"{path}: {self.plan.coders[i]}, {len(self.plan.documents[c])} documents"
            for i, (c, path) in enumerate(self.files.items())
        ]
        if self.plan.percent is None and sample == len(self.plan.documents[self.plan.coders[0]]):
            out.append(f"every coder codes every document ({sample})")
        else:
            out.append(f"reliability sample: {sample} documents coded by every coder")
        return out


def default_seed(project: Project) -> int:
    """The sample's seed when none is given: drawn from the project's id, so that
    preparing again draws the same sample."""
    digest = hashlib.sha256(project.project_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big")


def plan_for(
    project: Project,
    coders: Sequence[str],
    *,
    percent: float | None = None,
    sample: Sequence[str] | None = None,
    seed: int | None = None,
) -> Plan:
    """Which documents each coder gets (see ``core.team.deal_documents``)."""
    ids = [d.id for d in project.documents(counts=False)]
    if not ids:
        raise ValueError("The project has no documents to hand out.")
    return deal_documents(
        ids,
        coders,
        percent=percent,
        sample=sample,
        seed=default_seed(project) if seed is None else seed,
    )


def copy_paths(project: Project, coders: Sequence[str], out: Path) -> dict[str, Path]:
    return {coder: out / copy_file_name(project.path.stem, coder) for coder in coders}


def prepare_coder_copies(
    project: Project, plan: Plan, out: Path, progress: Progress | None = None
) -> Result[Prepared]:
    """Write one coder copy per coder of ``plan`` into the folder ``out`` and record
    the assignments. Files there already are never overwritten: then nothing is
    written at all. A failure or a cancel removes the copies written so far."""
    progress = progress or Progress()
    out = Path(out)
    paths = copy_paths(project, plan.coders, out)
    existing = [p for p in paths.values() if p.exists()]
    if existing:
        names = ", ".join(p.name for p in existing)
        raise ProjectError(
            f"{names} exist{'s' if len(existing) == 1 else ''} already in {out}: nothing was "
            "written. Choose another folder, or move those files away first."
        )
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for index, (coder, path) in enumerate(paths.items()):
            progress.step(index, len(paths), f"writing {path.name}")
            written.append(project.write_coder_copy(path, coder, plan.documents[coder]))
        progress.check()
        project.record_assignments(plan, {c: p.name for c, p in paths.items()})
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    progress.step(len(paths), len(paths), "done")
    return Result(Prepared(plan, paths), NOTHING)


def project_beside(project: Project) -> Project:
    """The same project on a connection of its own, for a worker thread to merge
    through (close it with ``.db.close()``: it takes no backups of its own)."""
    return Project(project.path, connect_beside(project.path))


def _open_coder_file(project: Project, path: Path) -> Project | str:
    """The coder file opened read-only, or why it cannot be merged."""
    try:
        if path.resolve() == project.path.resolve():
            return "it is this project itself"
    except OSError:
        pass
    try:
        return open_project(path, read_only=True)
    except OlderProjectError:
        return (
            "it was saved by an older version of Annotator: open it in Annotator once to "
            "upgrade it, then merge it"
        )
    except ProjectError as exc:
        return str(exc)


def _forward(progress: Progress, index: int, total: int, name: str) -> Report:
    """Report a file's stages as steps of the whole merge (a cancel stops the file)."""

    def report(_done: int, _total: int, label: str) -> None:
        progress.step(index, total, f"{name}: {label}")

    return report


class MergeCancelled(Cancelled):
    """The merge was cancelled while a file was merged: that file was rolled back,
    and ``reports`` says what the files before it, which stay merged, did."""

    def __init__(self, reports: list[MergeReport]) -> None:
        super().__init__("cancelled")
        self.reports = reports


def merge_coder_files(
    project: Project,
    paths: Sequence[Path],
    progress: Progress | None = None,
    *,
    backed_up: bool = False,
) -> Result[list[MergeReport]]:
    """Merge each coder file, in one transaction each; a verified backup is taken
    before the first file that can be merged (unless ``backed_up``: the caller took
    it). A file refused (another project, a newer or older version, a damaged or
    unreadable file, a different text under a document's id) gets a report saying
    why and changes nothing. A cancel rolls back the file being merged and stops
    (``MergeCancelled``, with the reports of the files before it: they stay merged)."""
    progress = progress or Progress()
    reports: list[MergeReport] = []
    annotations: set[str] = set()
    documents: set[str] = set()
    for index, path in enumerate(paths):
        path = Path(path)
        progress.step(index, len(paths), f"merging {path.name}")
        opened = _open_coder_file(project, path)
        if isinstance(opened, str):
            reports.append(MergeReport(str(path), refused_file=opened))
            continue
        with opened as copy:
            if not backed_up:
                project.backup("before-merge")
                backed_up = True
            stage = Progress(_forward(progress, index, len(paths), path.name))
            try:
                report, ids, docs = project.merge_coder_file(copy, str(path), stage)
            except (Cancelled, ProjectError, sqlite3.Error) as exc:
                if isinstance(exc, Cancelled) or progress.cancelled:  # or interrupted
                    raise MergeCancelled(reports) from exc
                raise
            reports.append(report)
            annotations |= ids
            documents |= docs
    progress.step(len(paths), len(paths), "done")
    changes: Changes = changed("document", documents) | changed("values", annotations)
    return Result(reports, changes)
