"""What every command of the command line says the same way."""

from __future__ import annotations

import sys
from pathlib import Path

from annotator.store.errors import OlderProjectError


def older_project(path: Path, then: str, exc: OlderProjectError) -> int:
    """Say that ``path`` needs opening in the app once before ``then``; exit code 1."""
    unchanged = " The file was not changed." if exc.unchanged else ""
    print(
        f"annotator: {path.name} was saved by an older version of Annotator. "
        f"Open it in Annotator once to upgrade it (a backup is kept), then {then}.{unchanged}",
        file=sys.stderr,
    )
    return 1
