"""The packages depend on each other one way only, and Qt stays in ``qt``.

``core`` ← ``store`` ← ``ops`` ← ``importing`` / ``exporting`` ← ``qt`` ← the
entry points (``app``, ``cli``, ``selftest``). Below ``qt`` nothing imports Qt;
the Qt layer runs no SQL and writes to a project only through ``ops``.
"""

import ast
import functools
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
ENTRY_POINTS = [
    "app.py",
    "cli.py",
    "command_messages.py",
    "export_cli.py",
    "import_cli.py",
    "search_cli.py",
    "team_cli.py",
    "selftest.py",
    "__init__.py",
    "__main__.py",
]


@functools.cache  # each module is read and parsed once, whichever tests ask
def _imports(path: Path) -> frozenset[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return frozenset(names)


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


# -- writes go through the operations ---------------------------------------------------------
STORE = PACKAGE / "store"
OPS_PACKAGE = "annotator.ops"


def _opens_a_transaction(function: ast.FunctionDef) -> bool:
    return any(
        isinstance(node, ast.withitem)
        and isinstance(node.context_expr, ast.Call)
        and isinstance(node.context_expr.func, ast.Attribute)
        and node.context_expr.func.attr == "_transaction"
        for node in ast.walk(function)
    )


def _self_calls(function: ast.FunctionDef) -> set[str]:
    return {
        node.func.attr
        for node in ast.walk(function)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "self"
    }


@functools.cache
def store_write_methods() -> frozenset[str]:
    """The store's public methods that write: those that open ``self._transaction()``,
    and those that call such a method (``delete_annotation`` calls ``delete_annotations``)."""
    methods: dict[str, ast.FunctionDef] = {}
    for path in sorted(STORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef):
                        methods[item.name] = item
    writes = {name for name, function in methods.items() if _opens_a_transaction(function)}
    while True:
        more = {n for n, f in methods.items() if n not in writes and _self_calls(f) & writes}
        if not more:
            break
        writes |= more
    return frozenset(name for name in writes if not name.startswith("_"))


def _ops_modules(tree: ast.AST) -> set[str]:
    """Names a module binds to ``annotator.ops`` modules (``from annotator.ops import
    values``, ``import annotator.ops.values as values``)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == OPS_PACKAGE:
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(
                alias.asname
                for alias in node.names
                if alias.asname and alias.name.startswith(OPS_PACKAGE + ".")
            )
    return names


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def writes_past_the_operations(source: str, writes: frozenset[str] | set[str]) -> list[str]:
    """Every use of a store write method in ``source`` (a call, or a method passed
    on to be called later) that is not an ``annotator.ops`` function, by line.
    (A class's own method of the same name, used as ``self.name``, is not one.)"""
    tree = ast.parse(source)
    ops_modules = _ops_modules(tree)
    own_methods = {
        item.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for item in node.body
        if isinstance(item, ast.FunctionDef)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in writes:
            owner = _dotted(node.value)
            if owner in ops_modules or owner.startswith(OPS_PACKAGE + "."):
                continue
            if owner == "self" and node.attr in own_methods:
                continue
            found.append(f"line {node.lineno}: {owner or '…'}.{node.attr}")
    return found


WRITERS = [
    *_files("qt"),
    *_files("importing"),
    *(PACKAGE / n for n in ENTRY_POINTS),
]


def test_the_store_write_methods_are_found():
    writes = store_write_methods()
    assert {"add_annotation", "set_value", "delete_annotation", "update_category"} <= writes
    assert {"import_text", "merge_actors", "set_document_variables", "restore_deletions"} <= writes
    assert not {"annotation", "values", "codebook", "documents", "backup"} & writes


@pytest.mark.parametrize("path", WRITERS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_projects_are_written_only_through_the_operations(path):
    found = writes_past_the_operations(path.read_text(encoding="utf-8"), store_write_methods())
    assert not found, f"{path.relative_to(PACKAGE)} writes past annotator.ops: {found}"


def test_a_write_past_the_operations_is_caught():
    writes = store_write_methods()
    caught = writes_past_the_operations("self.project.set_value(ann, value)\n", writes)
    assert caught == ["line 1: self.project.set_value"]
    passed_on = "self._update(record, self.project.update_choice, label='x')\n"
    assert writes_past_the_operations(passed_on, writes) == ["line 1: self.project.update_choice"]
    through_ops = (
        "from annotator.ops import values\n"
        "import annotator.ops.codebook as codebook_ops\n"
        "values.set_value(project, ann, value)\n"
        "codebook_ops.update_choice(project, ident, label='x')\n"
        "annotator.ops.values.set_memo(project, ann, '')\n"
    )
    assert writes_past_the_operations(through_ops, writes) == []
    own = "class Window:\n    def delete_actor(self):\n        pass\n\n    def key(self):\n"
    assert writes_past_the_operations(own + "        self.delete_actor()\n", writes) == []
    assert writes_past_the_operations(own + "        self.set_value()\n", writes) == [
        "line 6: self.set_value"
    ]
