"""Every ``annotator.…`` name the README shows scripts still imports (the module
paths of earlier versions are kept for the scripts written against them)."""

import importlib
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _documented_names() -> set[str]:
    text = README.read_text(encoding="utf-8")
    names = set(re.findall(r"\bannotator(?:\.[A-Za-z_]\w*)+", text))
    names |= {
        f"{module}.{name.strip()}"
        for module, names_ in re.findall(r"from (annotator[\w.]*) import ([\w, ]+)", text)
        for name in names_.split(",")
    }
    return {n for n in names if not n.endswith((".annotator", ".lock"))}


def _resolve(dotted: str) -> object:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(dotted)


def test_every_name_the_readme_shows_scripts_resolves():
    names = _documented_names()
    assert "annotator.io.export_analysis.export_for_analysis" in names
    assert "annotator.io.importing.import_paths" in names
    for name in sorted(names):
        assert _resolve(name) is not None, name
