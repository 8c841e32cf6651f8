"""Composition root: settings, coder, project, window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFileOpenEvent, QIcon
from PySide6.QtWidgets import QApplication

from annotator import __version__
from annotator.core.logs import setup_logging
from annotator.core.paths import APP_NAME, PROJECT_SUFFIX, default_project_path
from annotator.core.resources import resources_dir
from annotator.importing.formats import SUPPORTED_EXTENSIONS
from annotator.qt.common import dialogs
from annotator.qt.common.settings import AppSettings
from annotator.qt.common.xcb_libraries import check_before_window
from annotator.qt.main_window import MainWindow
from annotator.qt.safety.crash import make_excepthook
from annotator.qt.safety.lock_file import ProjectLock
from annotator.qt.safety.project_lock import open_locked
from annotator.store.errors import ProjectError
from annotator.store.project import Project


def resolve_coder(settings: AppSettings, coder: str | None) -> str:
    """``--coder`` wins and is remembered; otherwise ask once, on first run."""
    if coder and coder.strip():
        settings.coder = coder.strip()
    elif not settings.coder:
        settings.coder = dialogs.ask_coder_name(None) or dialogs.default_coder_name() or "coder"
    return settings.coder


def resolve_project(settings: AppSettings, path: Path | None) -> tuple[Project, ProjectLock | None]:
    """The project named, else the last one, else the sample project; with its lock
    (``None`` when it was opened read-only because another window holds it)."""
    if path is not None:  # ``annotator PATH`` opens or creates it
        return open_locked(None, path, create=True)
    last = settings.last_project
    if last is not None and last.exists():
        try:
            return open_locked(None, last)
        except (ProjectError, OSError) as exc:
            dialogs.show_error(
                None,
                APP_NAME,
                f"The last project could not be opened:\n{exc}\n\n"
                "The sample project opens instead.",
            )
    return open_locked(None, default_project_path(), create=True, with_samples=True)


def document_given(path: Path | None) -> Path | None:
    """``annotator article.txt``: a document of a format the app imports, given where
    a project was expected (not a project file, and not an SQLite database)."""
    if path is None or path.suffix.lower() == PROJECT_SUFFIX or not path.is_file():
        return None
    if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        return None
    try:
        with path.open("rb") as handle:
            if handle.read(16) == b"SQLite format 3\x00":
                return None
    except OSError:
        return None
    return path


def project_for_document(settings: AppSettings, document: Path) -> tuple[Path | None, bool]:
    """Ask where ``document`` goes: the last project, or a new one. (the project's
    path or ``None`` for the usual start, whether to import the document)."""
    last = settings.last_project
    offers = []
    if last is not None and last.exists():
        offers.append(f"Import into “{last.stem}”")
    offers.append("Import into a New Project…")
    answer = dialogs.choose(
        None,
        APP_NAME,
        f"“{document.name}” is a document, not an Annotator project. Import it into a project?",
        offers,
    )
    if answer is None:
        return None, False
    if offers[answer].startswith("Import into “") and last is not None:
        return last, True
    chosen = dialogs.new_project_path(None, str(document.parent), "New Project for the Document")
    return (Path(chosen), True) if chosen else (None, False)


def build_window(path: Path | None, coder: str | None, settings: AppSettings) -> MainWindow:
    document = document_given(path)
    if document is not None:
        path, importing = project_for_document(settings, document)
    project, lock = resolve_project(settings, path)
    # A coder copy knows its coder: it opens with that coder, without asking.
    name = project.copy_coder() or resolve_coder(settings, coder)
    window = MainWindow(settings, project, name, lock)
    if document is not None and importing:
        window.pending_imports = [document]
    return window


class FileOpenHandler(QObject):
    """macOS sends a project double-clicked in the Finder as a FileOpen event to
    the application, maybe before the window exists or while a dialog is open:
    the newest one is opened in the window as soon as it can be."""

    RETRY_MS = 500

    def __init__(self) -> None:
        super().__init__()
        self.window: MainWindow | None = None
        self.pending: list[Path] = []

    def attach(self, window: MainWindow) -> None:
        self.window = window
        self.open_pending()

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            if event.file():
                self.pending.append(Path(event.file()))
                self.open_pending()
                return True
        return False

    def open_pending(self) -> None:
        if self.window is None or not self.pending:
            return
        if QApplication.activeModalWidget() is not None:  # a dialog works on the project
            QTimer.singleShot(self.RETRY_MS, self, self.open_pending)
            return
        path, self.pending = self.pending[-1], []
        self.window.open_project_file(path)


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(resources_dir() / "icons" / f"annotator-{size}.png"))
    return icon


def run_gui(path: Path | None, *, coder: str | None = None) -> int:
    if QApplication.instance() is None:
        check_before_window()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    QApplication.setWindowIcon(app_icon())
    setup_logging().info("Annotator %s starting", __version__)
    sys.excepthook = make_excepthook(QApplication.activeWindow)
    file_open = FileOpenHandler()  # from the start: a Finder double-click may come first
    app.installEventFilter(file_open)
    try:
        window = build_window(path, coder, AppSettings())
    except (ProjectError, OSError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        dialogs.show_error(None, APP_NAME, str(exc))
        return 1
    file_open.attach(window)
    window.show()
    if window.pending_imports:  # ``annotator article.txt``: once the window is up
        from annotator.qt.importing.import_runner import import_paths

        paths, window.pending_imports = window.pending_imports, []
        QTimer.singleShot(0, window, lambda: import_paths(window, paths))
    return app.exec()
