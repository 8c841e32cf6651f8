"""Where the shipped resources and sample documents are, installed or frozen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _find(name: str) -> Path:
    # A source checkout or editable install keeps them beside the package; a
    # PyInstaller bundle puts them beside the package under _internal/.
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the app's '{name}' folder is missing from {_PACKAGE_DIR.parent}")


def resources_dir() -> Path:
    return _find("resources")


def sample_docs_dir() -> Path:
    return _find("sample_docs")


def default_codebook() -> list[dict[str, Any]]:
    """The categories every new project starts with."""
    data = json.loads((resources_dir() / "codebook.json").read_text(encoding="utf-8"))
    return list(data["categories"])
