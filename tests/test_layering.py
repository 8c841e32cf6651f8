"""The packages depend on each other one way only, and Qt stays in ``qt``.

``core`` ← ``store`` ← ``ops`` ← ``importing`` / ``exporting`` ← ``qt`` ← the
entry points (``app``, ``cli``, ``selftest``). Below ``qt`` nothing imports Qt;
the Qt layer runs no SQL and writes to a project only through ``ops``.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "annotator"
QT_MODULES = ("PySide6", "shiboken6")
# What each package may import of the others (besides itself).
ALLOWED = {
    "core": set(),
    "store": {"core"},
    "ops": {"core", "store"},
    "importing": {"core", "store", "ops"},
    "exporting": {"core", "store", "ops"},
    "io": {"importing", "exporting"},  # the script paths kept for compatibility
    "qt": {"core", "store", "ops", "importing", "exporting"},
}
BELOW_QT = [name for name in ALLOWED if name != "qt"]
ENTRY_POINTS = ["app.py", "cli.py", "selftest.py", "__init__.py", "__main__.py"]


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


def test_every_package_has_a_rule():
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert packages - {"_resources", "_sample_docs"} == set(ALLOWED)


@pytest.mark.parametrize("layer", BELOW_QT)
def test_no_qt_below_the_qt_layer(layer):
    for path in _files(layer):
        bad = {n for n in _imports(path) if n.split(".")[0] in QT_MODULES}
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


@pytest.mark.parametrize("layer", list(ALLOWED))
def test_dependencies_point_one_way(layer):
    allowed = ALLOWED[layer] | {layer}
    for path in _files(layer):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "annotator" and len(parts) > 1 and parts[1] in ALLOWED:
                assert parts[1] in allowed, f"{path.relative_to(PACKAGE)} imports {name}"


@pytest.mark.parametrize(
    "path",
    [*_files("qt"), *(PACKAGE / n for n in ENTRY_POINTS)],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_qt_and_entry_points_run_no_sql(path):
    if path.name == "selftest.py":
        return  # it checks SQLite's version and FTS5 on a connection of its own, in memory
    source = path.read_text(encoding="utf-8")
    assert not {"sqlite_utils", "sqlite3"} & _imports(path), path
    assert ".execute(" not in source, path
