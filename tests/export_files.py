"""A project big enough for an export that takes a while, and an export folder's
files, for comparing exports byte for byte."""

from __future__ import annotations

import random
import re
from pathlib import Path

from annotator.store.project import create_project

WORDS = "Kim met Moon in Seoul and they talked about the economy while Lee said no".split()


def build_project(path: Path, documents: int, per_document: int) -> Path:
    """A project of ``documents`` texts of 2,000 words, each with ``per_document``
    annotations by two coders, added in one transaction."""
    rng = random.Random(15)
    project = create_project(path)
    rows: list[tuple[str, int, int, str, str]] = []
    for number in range(documents):
        text = " ".join(rng.choice(WORDS) for _ in range(2000))
        doc = project.import_text(text, title=f"Article {number}")
        for j in range(per_document):
            start = rng.randrange(len(text) - 20)
            category = ("actor", "claim", "stance")[j % 3]
            end = start + rng.randint(1, 20)
            rows.append((doc.id, start, end, category, ("Ana", "Ben")[j % 2]))
    project.add_annotations(rows)
    project.close()
    return path


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def without_export_time(manifest: bytes) -> bytes:
    return re.sub(rb'"exported_at": "[^"]*"', b'"exported_at": ""', manifest)
