"""The modules of ``annotator.importing`` import each other one way only.

Every import counts, also one inside a function: a circle of imports makes the
order in which modules load matter, and hides which module builds on which.
"""

import ast
from pathlib import Path

import annotator.importing

PACKAGE = Path(annotator.importing.__file__).parent
NAME = "annotator.importing"


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        module = path.stem
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                if node.level:  # relative: from .x import y
                    names = [f"{NAME}.{node.module}"]
                else:
                    names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            for name in names:
                if name.startswith(f"{NAME}."):
                    target = name.removeprefix(f"{NAME}.").split(".")[0]
                    if (PACKAGE / f"{target}.py").exists() and target != module:
                        targets.add(target)
        graph[module] = targets
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """A circle of imports as a list of modules, or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def test_no_module_of_importing_imports_itself_through_others():
    graph = _graph()
    assert {"pipeline", "text_import", "readers", "encodings", "model"} <= set(graph)
    assert _cycle(graph) == [], " → ".join(_cycle(graph))


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_the_shared_definitions_import_nothing_of_the_package():
    assert _graph()["model"] == set()
