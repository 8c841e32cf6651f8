"""Every folder of Python modules is a package the installed wheel holds: the list
in pyproject.toml names each one, so that an install from a wheel (not only an
editable one) has every module the app imports."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_module_folder_is_a_listed_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "annotator").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert folders - listed == set()
    for folder in folders:
        assert (ROOT / folder.replace(".", "/") / "__init__.py").is_file(), folder
