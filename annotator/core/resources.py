"""Where the shipped resources and sample documents are, installed or frozen."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _installed(name: str) -> Path | None:
    """The folder as installed inside the package (``annotator._resources``)."""
    try:
        spec = importlib.util.find_spec(f"annotator._{name}")
    except ImportError:
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    found = [Path(p) for p in locations if Path(p).is_dir()]
    return found[0] if found else None


def _find(name: str) -> Path:
    # A source checkout keeps them beside the package, a PyInstaller bundle too
    # (under _internal/); an installed wheel has them inside the package.
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    installed = _installed(name)
    if installed is not None:
        return installed
    raise FileNotFoundError(f"the app's '{name}' folder is missing from {_PACKAGE_DIR.parent}")


def resources_dir() -> Path:
    return _find("resources")


def sample_docs_dir() -> Path:
    return _find("sample_docs")


def default_codebook() -> list[dict[str, Any]]:
    """The categories every new project starts with."""
    data = json.loads((resources_dir() / "codebook.json").read_text(encoding="utf-8"))
    return list(data["categories"])
