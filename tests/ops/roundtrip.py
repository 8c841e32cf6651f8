"""Compare a whole project before and after an operation, its undo and its redo."""

from __future__ import annotations

from typing import Any

from annotator.ops.changes import Result
from annotator.store.project import Project

# Times that say when a row was written (undo writes it again), not what it holds.
WRITE_TIMES = {"annotation_values": {"updated_at"}, "actors": {"created_at", "updated_at"}}
TABLES = (
    "categories",
    "attributes",
    "choices",
    "coders",
    "documents",
    "annotations",
    "annotation_values",
    "actors",
    "actor_aliases",
    "variables",
    "document_values",
)


def dump(project: Project) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order, without write times."""
    state = {}
    for table in TABLES:
        skip = WRITE_TIMES.get(table, set())
        columns = [c.name for c in project.db[table].columns if c.name not in skip]
        quoted = ", ".join(f'"{c}"' for c in columns)
        rows = project.db.execute(f"SELECT {quoted} FROM {table}").fetchall()
        state[table] = sorted(rows, key=repr)
    return state


def check_undo_redo(project: Project, run: Any) -> Result[Any]:
    """Run ``run(project)``; its undo must restore the project exactly, its redo
    must make it as the first run left it, twice over. Returns the first result;
    the project is left as the operation made it."""
    before = dump(project)
    result = run(project)
    after = dump(project)
    assert after != before, "the operation changed nothing"
    step = result
    for _ in range(2):
        assert step.undo is not None
        undone = step.undo(project)
        assert dump(project) == before
        assert undone.undo is not None
        step = undone.undo(project)
        assert dump(project) == after
    return result
