"""Menus, toolbar and shortcuts of the main window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QMenu, QToolBar

from annotator.core.model import Category, DocumentStatus
from annotator.core.paths import data_dir
from annotator.qt.coding.controller import POLARITY_KEYS
from annotator.qt.common import dialogs
from annotator.store.errors import ProjectError

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

Keys = QKeySequence | QKeySequence.StandardKey | str


def colour_icon(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def _action(
    window: MainWindow,
    menu: QMenu,
    name: str,
    text: str,
    slot: Callable[[], object],
    keys: list[Keys] | None = None,
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    window.addAction(action)  # shortcuts work whichever child has focus
    window.actions[name] = action
    return action


def build_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    _action(
        window,
        file_menu,
        "new",
        "&New Project…",
        lambda: new_project(window),
        [QKeySequence.StandardKey.New],
    )
    _action(
        window,
        file_menu,
        "open",
        "&Open Project…",
        lambda: open_project(window),
        [QKeySequence.StandardKey.Open],
    )
    window.recent_menu = file_menu.addMenu("Open &Recent")
    file_menu.addSeparator()
    _action(
        window,
        file_menu,
        "import_documents",
        "&Import Documents…",
        lambda: _import(window, "import_documents"),
    )
    _action(
        window,
        file_menu,
        "import_folder",
        "Import &Folder…",
        lambda: _import(window, "import_folder"),
    )
    file_menu.addSeparator()
    _action(
        window,
        file_menu,
        "save_copy",
        "Save a &Copy As…",
        lambda: save_copy(window),
        [QKeySequence.StandardKey.SaveAs],
    )
    _action(
        window,
        file_menu,
        "export_csv",
        "&Export for Analysis…",
        lambda: export_for_analysis(window),
        ["Ctrl+E"],
    )
    _action(window, file_menu, "backups", "&Backups…", lambda: _backups(window))
    _action(window, file_menu, "edit_read_only", "Open for &Editing", window.open_for_editing)
    file_menu.addSeparator()
    _action(window, file_menu, "quit", "&Quit", window.close, [QKeySequence.StandardKey.Quit])

    edit_menu = bar.addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcuts(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    for action in (undo, redo):
        edit_menu.addAction(action)
        window.addAction(action)
    window.actions["undo"], window.actions["redo"] = undo, redo
    edit_menu.addSeparator()
    _action(
        window,
        edit_menu,
        "delete",
        "&Delete Annotation",
        window.delete_selected,
        [QKeySequence.StandardKey.Delete, "Backspace"],
    )
    _action(
        window,
        edit_menu,
        "find",
        "&Find…",
        window.find_bar.open_bar,
        [QKeySequence.StandardKey.Find],
    )
    edit_menu.addSeparator()
    _action(window, edit_menu, "coder", "Coder &Name…", lambda: change_coder(window))

    window.code_menu = bar.addMenu("&Code")
    window.links_menu = bar.addMenu("&Links")
    for key, (_code, label) in POLARITY_KEYS.items():
        _action(
            window,
            window.links_menu,
            f"polarity_{label}",
            f"Polarity: {label}",
            lambda k=key: window.set_polarity(k),
            [key],
        )
    window.links_menu.addSeparator()
    _action(
        window,
        window.links_menu,
        "edit_attributes",
        "Edit Attributes (Enter in text)",
        window.edit_attributes,
    )
    _action(
        window,
        window.links_menu,
        "registry",
        "Actor &Registry…",
        lambda: open_registry(window),
        ["Ctrl+R"],
    )
    window.links_menu.addSeparator()
    _action(
        window,
        window.links_menu,
        "codebook",
        "&Codebook…",
        lambda: edit_codebook(window),
        ["Ctrl+Shift+K"],
    )
    _action(
        window,
        window.links_menu,
        "export_codebook",
        "Export Codebook…",
        lambda: export_codebook(window),
    )
    _action(
        window,
        window.links_menu,
        "import_codebook",
        "Import Codebook…",
        lambda: import_codebook(window),
    )
    toolbar = QToolBar("Codes", window)
    toolbar.setObjectName("codesToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.addToolBar(toolbar)
    window.code_toolbar = toolbar
    window.undo_redo = (undo, redo)

    view_menu = bar.addMenu("&View")
    _action(
        window,
        view_menu,
        "zoom_in",
        "Larger Text",
        lambda: window.view.zoom(1),
        ["Ctrl+=", "Ctrl++"],
    )
    _action(window, view_menu, "zoom_out", "Smaller Text", lambda: window.view.zoom(-1), ["Ctrl+-"])
    _action(window, view_menu, "zoom_reset", "Actual Size", reset_zoom(window), ["Ctrl+0"])

    doc_menu = bar.addMenu("&Document")
    _action(
        window,
        doc_menu,
        "next_doc",
        "&Next Document",
        lambda: window.step_document(1),
        ["Ctrl+PgDown", "Alt+Down"],
    )
    _action(
        window,
        doc_menu,
        "prev_doc",
        "&Previous Document",
        lambda: window.step_document(-1),
        ["Ctrl+PgUp", "Alt+Up"],
    )
    doc_menu.addSeparator()
    for status, keys in (
        (DocumentStatus.TODO, "Ctrl+Shift+T"),
        (DocumentStatus.IN_PROGRESS, "Ctrl+Shift+P"),
        (DocumentStatus.DONE, "Ctrl+Shift+D"),
    ):
        _action(
            window,
            doc_menu,
            f"status_{status.value}",
            f"Mark as {status.label}",
            lambda s=status: window.set_status(s),
            [keys],
        )
    doc_menu.addSeparator()
    _action(
        window,
        doc_menu,
        "properties",
        "P&roperties…",
        lambda: _document_dialog(window, "edit_properties"),
        ["Ctrl+I"],
    )
    _action(
        window,
        doc_menu,
        "document_variables",
        "Document &Variables…",
        lambda: _document_dialog(window, "edit_variables"),
    )

    help_menu = bar.addMenu("&Help")
    _action(window, help_menu, "about", "&About Annotator", lambda: _about(window))


def _import(window: MainWindow, name: str) -> None:
    from annotator.qt.importing import import_runner

    getattr(import_runner, name)(window)


def _backups(window: MainWindow) -> None:
    from annotator.qt.safety.backups_dialog import show_backups

    show_backups(window)


def _about(window: MainWindow) -> None:
    from annotator.qt.common.about_dialog import show_about

    show_about(window)


def _document_dialog(window: MainWindow, name: str) -> None:
    from annotator.qt.documents import document_dialog

    getattr(document_dialog, name)(window)


def install_category_actions(window: MainWindow, categories: list[Category]) -> None:
    """One action per category with its hotkey, in the Code menu and the toolbar."""
    for name in [n for n in window.actions if n.startswith("tag_")]:
        action = window.actions.pop(name)
        window.removeAction(action)
        action.deleteLater()
    window.code_menu.clear()
    toolbar = window.code_toolbar
    toolbar.clear()
    for category in categories:
        action = _action(
            window,
            window.code_menu,
            f"tag_{category.key}",
            f"{category.label} ({category.hotkey})" if category.hotkey else category.label,
            lambda key=category.key: window.tag_selection(key),
            [category.hotkey] if category.hotkey else None,
        )
        action.setIcon(colour_icon(category.colour))
        hint = f" ({category.hotkey})" if category.hotkey else ""
        action.setToolTip(f"{category.label}{hint}: {category.description}")
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addActions(list(window.undo_redo))


def reset_zoom(window: MainWindow) -> Callable[[], None]:
    from annotator.qt.coding.document_view import DEFAULT_POINT_SIZE

    return lambda: window.view.set_point_size(DEFAULT_POINT_SIZE)


def _folder(window: MainWindow) -> str:
    if window.session is not None:
        return str(window.project.path.parent)
    return str(data_dir())


def new_project(window: MainWindow) -> None:
    path = dialogs.new_project_path(window, _folder(window))
    if path:
        if Path(path).exists():
            dialogs.show_error(window, "New Project", f"“{path}” already exists.")
            return
        window.open_project_file(Path(path), create=True)


def open_project(window: MainWindow) -> None:
    path = dialogs.open_project_path(window, _folder(window))
    if path:
        window.open_project_file(Path(path))


def save_copy(window: MainWindow) -> None:
    path = dialogs.new_project_path(window, _folder(window), "Save a Copy As")
    if not path:
        return
    try:
        window.project.save_copy(path)
    except (OSError, ProjectError) as exc:
        dialogs.show_error(window, "Save a Copy As", f"The copy could not be written: {exc}")
        return
    window.statusBar().showMessage(f"Saved a copy as {path}", 5000)


def export_for_analysis(window: MainWindow) -> None:
    from annotator.qt.exporting.export_dialog import export_for_analysis_dialog

    export_for_analysis_dialog(window)


def change_coder(window: MainWindow) -> None:
    name = dialogs.ask_coder_name(window, window.settings.coder)
    if name:
        window.settings.coder = name
        window.set_coder(name)


CODEBOOK_FILTER = "Codebook (*.json);;All files (*)"


def edit_codebook(window: MainWindow) -> None:
    from annotator.qt.codebook.codebook_dialog import edit_codebook as open_editor

    if window.session is not None:
        open_editor(window, window.session)


def open_registry(window: MainWindow) -> None:
    from annotator.qt.registry.registry_window import RegistryWindow

    if window.session is None:
        return
    registry = getattr(window, "registry_window", None)
    if registry is not None and registry.session is not window.session:
        registry.close()  # it belongs to the project that was open before
        registry = None
    if registry is None:
        registry = RegistryWindow(
            window.session,
            window.undo_stack,
            lambda: window.current.id if window.current else None,
            window,
        )
        window.registry_window = registry
    registry.show()
    registry.raise_()
    registry.activateWindow()


def export_codebook(window: MainWindow) -> None:
    from annotator.importing.codebook_json import export_codebook as write_codebook

    path = dialogs.choose_file_to_save(window, "Export Codebook", _folder(window), CODEBOOK_FILTER)
    if not path:
        return
    try:
        write_codebook(window.project, Path(path))
    except (OSError, ProjectError) as exc:
        dialogs.show_error(window, "Export Codebook", f"The codebook was not written: {exc}")
        return
    window.statusBar().showMessage(f"Codebook written to {path}", 5000)


def import_codebook(window: MainWindow) -> None:
    from annotator.importing.codebook_json import import_codebook as read_codebook

    path = dialogs.choose_file_to_open(window, "Import Codebook", _folder(window), CODEBOOK_FILTER)
    if not path or window.session is None:
        return
    try:
        summary = read_codebook(window.project, Path(path))
    except (OSError, ValueError, ProjectError) as exc:
        dialogs.show_error(window, "Import Codebook", f"The codebook was not imported: {exc}")
        return
    window.session.codebook_changed.emit()
    dialogs.show_info(window, "Import Codebook", str(summary))
