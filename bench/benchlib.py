"""What the benchmarks share: seeded text and ids, and the description of the
machine and code a run measured (no Qt here; the Qt lines are added by the caller)."""

from __future__ import annotations

import os
import platform
import random
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any


def sentences(rng: random.Random, words: list[str], chars: int) -> str:
    """Sentences of 5–20 ``words`` until ``chars`` characters, one in ten ending a line."""
    parts: list[str] = []
    size = 0
    while size < chars:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(5, 20))) + "."
        parts.append(sentence + ("\n" if rng.random() < 0.1 else " "))
        size += len(parts[-1])
    return "".join(parts)


def seeded_id(rng: random.Random) -> str:
    """A UUID drawn from ``rng``, so that every run builds the same project."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def code_version() -> str:
    """The annotator package measured: its folder, commit and whether it has changes."""
    import annotator

    where = Path(annotator.__file__).resolve().parent.parent
    try:
        git = ["git", "-C", str(where)]
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "annotator"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"{where} (not a git checkout)"
    return f"{where} at {head}" + (" + uncommitted changes" if dirty else "")


def machine(*extra: str) -> list[str]:
    """Lines that describe the machine and the code, ``extra`` among them."""
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "unknown"
    return [
        f"platform:  {platform.platform()}",
        f"processor: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        f"python:    {sys.version.split()[0]} ({platform.python_implementation()})",
        *extra,
        f"SQLite:    {sqlite3.sqlite_version}",
        f"annotator: {code_version()}",
        f"load:      {load} (1, 5, 15 min, at the start)",
    ]


def isolated_folders(prefix: str, *, offscreen: bool = False) -> tempfile.TemporaryDirectory[str]:
    """Point the app's data and config folders (and Qt, with ``offscreen``) away from
    the user's own, into a temporary folder deleted at exit. Call it before anything
    imports Qt or reads the folders; keep the returned object alive."""
    folder = tempfile.TemporaryDirectory(prefix=prefix)
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["ANNOTATOR_DATA_DIR"] = os.path.join(folder.name, "data")
    os.environ["ANNOTATOR_CONFIG_DIR"] = os.path.join(folder.name, "config")
    return folder


# The default codebook's attributes that the built projects fill in.
FILLED_ATTRIBUTES = (
    ("actor", "actor"),
    ("claim", "claimant"),
    ("claim", "issue"),
    ("stance", "polarity"),
    ("stance", "holder"),
    ("stance", "target"),
)


def filled_attribute_ids(project: Any) -> dict[str, str]:
    """Attribute key → id of :data:`FILLED_ATTRIBUTES` in ``project``'s codebook."""
    codebook = project.codebook()
    ids: dict[str, str] = {}
    for category, name in FILLED_ATTRIBUTES:
        found = codebook.attribute(category, name)
        if found is None:
            raise RuntimeError(f"the default codebook has no {category} attribute {name!r}")
        ids[name] = found.id
    return ids
