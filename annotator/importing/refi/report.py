"""What a REFI-QDA import read, stored and left out: shown by the window, printed
by ``annotator import-qdpx``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


@dataclass
class RefiReport:
    path: Path  # the file read
    project: Path  # the project written
    origin: str = ""  # the tool that wrote the file
    nested: str = "choices"
    documents: int = 0
    categories: int = 0
    choices: int = 0
    annotations: int = 0
    coders: list[str] = field(default_factory=list)
    variables: int = 0
    memos: int = 0  # annotation memos (selection descriptions and their notes)
    adjusted: int = 0  # end positions one past the text, moved onto its end
    # What was left out: a kind of item → how many.
    skipped: dict[str, int] = field(default_factory=dict)
    exact: bool = False  # rebuilt from Annotator's own exact copy
    notes: list[str] = field(default_factory=list)
    # Left-out items worth naming one by one (a source that could not be read…).
    details: list[str] = field(default_factory=list)

    def skip(self, what: str, count: int = 1, detail: str = "") -> None:
        self.skipped[what] = self.skipped.get(what, 0) + count
        if detail and len(self.details) < 50:
            self.details.append(detail)

    def lines(self) -> list[str]:
        """The report as lines of plain text."""
        origin = f" (written by {self.origin})" if self.origin else ""
        read = [
            _count(self.documents, "document", "documents"),
            _count(self.categories, "category", "categories"),
        ]
        if self.choices:
            read.append(_count(self.choices, "sub-code choice", "sub-code choices"))
        read += [
            _count(self.annotations, "annotation", "annotations"),
            _count(len(self.coders), "coder", "coders"),
            _count(self.variables, "document variable", "document variables"),
            _count(self.memos, "memo", "memos"),
        ]
        lines = [f"Read {self.path.name}{origin} into {self.project.name}: {', '.join(read)}."]
        if self.exact:
            lines.append(
                "The file is Annotator's own export: the project was rebuilt exactly from its "
                "copy (ids, registry, attribute values, references, statuses, timestamps)."
            )
        lines += self.notes
        if self.coders:
            lines.append(f"Coders: {', '.join(self.coders)}.")
        if self.adjusted:
            lines.append(
                f"{_count(self.adjusted, 'selection ends', 'selections end')} one character "
                "past the text (as some tools write them): moved onto its end."
            )
        if self.skipped:
            lines.append("Not imported:")
            lines += [f"  {what}: {n:,}" for what, n in sorted(self.skipped.items())]
        lines += [f"  – {detail}" for detail in self.details]
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())
