"""core, store and io never import Qt; the Qt layer never runs SQL itself."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"
QT_MODULES = ("PySide6", "shiboken6")
ORDER = ["core", "store", "io", "qt"]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", ["core", "store", "io"])
def test_no_qt_below_the_qt_layer(layer):
    for path in _files(layer):
        bad = {n for n in _imports(path) if n.split(".")[0] in QT_MODULES}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


@pytest.mark.parametrize("layer", ORDER)
def test_dependencies_point_one_way(layer):
    allowed = set(ORDER[: ORDER.index(layer) + 1])
    for path in _files(layer):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "annotator" and len(parts) > 1 and parts[1] in ORDER:
                assert parts[1] in allowed, f"{path.relative_to(PACKAGE)} imports {name}"


def test_qt_layer_runs_no_sql():
    for path in _files("qt"):
        source = path.read_text(encoding="utf-8")
        assert "sqlite_utils" not in _imports(path), path
        assert ".execute(" not in source, path
