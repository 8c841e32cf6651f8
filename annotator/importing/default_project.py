"""The project a coder gets on first start: the sample documents, ready to code."""

from __future__ import annotations

from pathlib import Path

from annotator.importing.text_import import import_sample_documents
from annotator.ops import codebook as codebook_ops
from annotator.store.project import Project, create_project, open_project

# The issues the sample documents (Northeast Asian diplomacy, 2024) argue about: the
# claim's Issue choices, which stance targets and the actor × issue network use.
SAMPLE_ISSUES = (
    "North Korea's nuclear and missile programme",
    "Russia–North Korea military cooperation",
    "Japan–South Korea relations",
    "US–Japan–South Korea security cooperation",
    "Relations with China",
    "Cooperation with NATO",
)


def add_sample_issues(project: Project) -> None:
    """The sample issues as choices of the claim's Issue attribute, if it has none."""
    attribute = project.codebook().attribute("claim", "issue")
    if attribute is None or attribute.choices:
        return
    for label in SAMPLE_ISSUES:
        codebook_ops.add_choice(project, attribute.id, label)


def open_or_create(path: Path, *, with_samples: bool = False) -> Project:
    """Open ``path``; if it does not exist, create it (with the samples if asked)."""
    if path.exists():
        return open_project(path)
    project = create_project(path)
    if with_samples:
        try:
            import_sample_documents(project)
            add_sample_issues(project)
        except BaseException:
            project.close()
            raise
    return project
