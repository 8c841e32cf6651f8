"""A project in a synced or network folder: say why that is risky, offer a local copy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.locations import risky_location
from annotator.core.paths import data_dir
from annotator.qt.common import dialogs
from annotator.store.errors import ProjectError
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow


def offer_local_copy(window: MainWindow, project: Project) -> None:
    """If ``project`` lives where sync services or shares may corrupt it, offer to
    copy it to the local projects folder and open the copy there."""
    path = project.path
    kind = risky_location(path)
    if kind is None:
        return
    local = data_dir() / "projects"
    if not dialogs.confirm(
        window,
        "Project in a synced or network folder",
        f"“{path.name}” is in {kind}. Sync services and network shares can copy "
        "a project file while it is being written and corrupt it.\n\n"
        f"Move it to the local projects folder ({local})? A copy is made there "
        "and opened; the file where it is now is left unchanged.",
    ):
        return
    target = local / path.name
    n = 2
    while target.exists():
        target, n = local / f"{path.stem} ({n}){path.suffix}", n + 1
    try:
        local.mkdir(parents=True, exist_ok=True)
        project.save_copy(target)
    except (OSError, ProjectError) as exc:
        dialogs.show_error(window, "Move project", f"The project could not be copied: {exc}")
        return
    window.open_project_file(target)
