"""Menus, toolbar and shortcuts of the main window.

:func:`build_menus` makes them and returns them as :class:`Menus`, which the
window keeps; what the actions do lives with the features (the window's own
methods, the coding controller, the dialogs' modules).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QMenu, QToolBar, QWidget

from annotator.core.model import Category, DocumentStatus
from annotator.core.paths import data_dir, documents_dir
from annotator.qt.codebook.codebook_files import export_codebook, import_codebook
from annotator.qt.coding import selection_keys
from annotator.qt.coding.controller import POLARITY_KEYS
from annotator.qt.project_files import change_coder, new_project, open_project, save_copy
from annotator.qt.search.search_panel import open_corpus_search

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

Keys = QKeySequence | QKeySequence.StandardKey | str


@dataclass
class Menus:
    actions: dict[str, QAction]  # by object name: "tag_actor", "undo", "export_csv"…
    recent: QMenu
    code_menu: QMenu
    tags_end: QAction  # the category actions go above this separator of the Code menu
    code_toolbar: QToolBar
    undo_redo: tuple[QAction, QAction]


def colour_icon(colour: str) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def _action(
    window: QWidget,
    actions: dict[str, QAction],
    menu: QMenu,
    name: str,
    text: str,
    slot: Callable[[], object],
    keys: list[Keys] | None = None,
    before: QAction | None = None,
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(lambda _checked=False: slot())
    if before is not None:
        menu.insertAction(before, action)
    else:
        menu.addAction(action)
    window.addAction(action)  # shortcuts work whichever child has focus
    actions[name] = action
    return action


def _adjudicate(window: MainWindow) -> None:
    """Team ▸ Adjudicate: settle the coders' disagreements (qt/team)."""
    from annotator.qt.team.adjudication_window import show_adjudication

    if window.session is not None:
        show_adjudication(window, window.session)


def build_menus(window: MainWindow) -> Menus:
    """The menu bar, the Codes toolbar and every action, with their shortcuts."""
    actions: dict[str, QAction] = {}
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    _action(
        window,
        actions,
        file_menu,
        "new",
        "&New Project…",
        lambda: new_project(window, _folder(window)),
        [QKeySequence.StandardKey.New],
    )
    _action(
        window,
        actions,
        file_menu,
        "open",
        "&Open Project…",
        lambda: open_project(window, _folder(window)),
        [QKeySequence.StandardKey.Open],
    )
    recent = file_menu.addMenu("Open &Recent")
    file_menu.addSeparator()
    _action(
        window,
        actions,
        file_menu,
        "import_documents",
        "&Import Documents…",
        lambda: _import(window, "import_documents"),
    )
    _action(
        window,
        actions,
        file_menu,
        "import_folder",
        "Import &Folder…",
        lambda: _import(window, "import_folder"),
    )
    # File ▸ Import ▸ a REFI-QDA file from another qualitative analysis tool, as a new project.
    import_menu = file_menu.addMenu("I&mport")
    import_menu.setObjectName("import_menu")
    _action(
        window,
        actions,
        import_menu,
        "import_refi",
        "REFI-QDA &Project…",
        lambda: _import_refi(window),
    )
    file_menu.addSeparator()
    _action(
        window,
        actions,
        file_menu,
        "save_copy",
        "Save a &Copy As…",
        lambda: save_copy(window, _folder(window)),
        [QKeySequence.StandardKey.SaveAs],
    )
    _action(
        window,
        actions,
        file_menu,
        "export_csv",
        "&Export for Analysis…",
        lambda: export_for_analysis(window),
        ["Ctrl+E"],
    )
    # File ▸ Export ▸ REFI-QDA files for other qualitative analysis tools.
    refi_menu = file_menu.addMenu("E&xport")
    refi_menu.setObjectName("export_menu")
    _action(
        window,
        actions,
        refi_menu,
        "export_refi_project",
        "REFI-QDA &Project…",
        lambda: _refi(window, "project"),
    )
    _action(
        window,
        actions,
        refi_menu,
        "export_refi_codebook",
        "REFI-QDA &Codebook…",
        lambda: _refi(window, "codebook"),
    )
    _action(window, actions, file_menu, "backups", "&Backups…", lambda: _backups(window))
    _action(
        window, actions, file_menu, "edit_read_only", "Open for E&diting", window.open_for_editing
    )
    file_menu.addSeparator()
    _action(
        window, actions, file_menu, "quit", "&Quit", window.close, [QKeySequence.StandardKey.Quit]
    )

    edit_menu = bar.addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcuts(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    for action in (undo, redo):
        edit_menu.addAction(action)
        window.addAction(action)
    actions["undo"], actions["redo"] = undo, redo
    edit_menu.addSeparator()
    _action(
        window,
        actions,
        edit_menu,
        "delete",
        "&Delete Annotation",
        window.coding.delete_selected,
        [QKeySequence.StandardKey.Delete, "Backspace"],
    )
    _action(
        window,
        actions,
        edit_menu,
        "find",
        "&Find…",
        window.find_bar.open_bar,
        [QKeySequence.StandardKey.Find],
    )
    _action(
        window,
        actions,
        edit_menu,
        "corpus_search",
        "Search &Corpus…",
        lambda: open_corpus_search(window),
        ["Ctrl+Shift+F"],
    )
    edit_menu.addSeparator()
    _action(window, actions, edit_menu, "coder", "Coder &Name…", lambda: change_coder(window))

    code_menu = bar.addMenu("&Code")
    tags_end = code_menu.addSeparator()  # the categories go above it
    for key, (_code, label) in POLARITY_KEYS.items():
        _action(
            window,
            actions,
            code_menu,
            f"polarity_{label}",
            f"Polarity: {label}",
            partial(window.coding.set_polarity, key),
            [key],
        )
    code_menu.addSeparator()
    keyed: list[tuple[str, str, Callable[[MainWindow], None], str]] = [
        ("repeat_code", "&Repeat Last Code", selection_keys.repeat_last_code, "R"),
        (
            "extend_sentence",
            "Extend Selection by &Sentence",
            selection_keys.extend_by_sentence,
            "Alt+Shift+Right",
        ),
        (
            "extend_paragraph",
            "Extend Selection by &Paragraph",
            selection_keys.extend_by_paragraph,
            "Alt+Shift+Down",
        ),
        ("next_incomplete", "&Next Incomplete Annotation", selection_keys.next_incomplete, "F8"),
    ]
    for name, text, slot, key in keyed:
        _action(window, actions, code_menu, name, text, partial(slot, window), [key])
    code_menu.addSeparator()
    _action(
        window,
        actions,
        code_menu,
        "edit_attributes",
        "Fill In Fields (Enter in the text)",
        window.coding.edit_attributes,
    )
    codebook_menu = bar.addMenu("Code&book")
    _action(
        window,
        actions,
        codebook_menu,
        "codebook",
        "&Edit Codebook…",
        lambda: edit_codebook(window),
        ["Ctrl+Shift+K"],
    )
    _action(
        window,
        actions,
        codebook_menu,
        "registry",
        "Actor &Registry…",
        window.show_registry,
        ["Ctrl+R"],
    )
    codebook_menu.addSeparator()
    _action(
        window,
        actions,
        codebook_menu,
        "export_codebook",
        "E&xport Codebook…",
        lambda: export_codebook(window, window.session, _folder(window)),
    )
    _action(
        window,
        actions,
        codebook_menu,
        "import_codebook",
        "&Import Codebook…",
        lambda: import_codebook(window, window.session, window.undo_stack, _folder(window)),
    )
    toolbar = QToolBar("Codes", window)
    toolbar.setObjectName("codesToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.addToolBar(toolbar)

    view_menu = bar.addMenu("&View")
    _action(
        window,
        actions,
        view_menu,
        "zoom_in",
        "Larger Text",
        lambda: window.view.zoom(1),
        ["Ctrl+=", "Ctrl++"],
    )
    _action(
        window,
        actions,
        view_menu,
        "zoom_out",
        "Smaller Text",
        lambda: window.view.zoom(-1),
        ["Ctrl+-"],
    )
    _action(window, actions, view_menu, "zoom_reset", "Actual Size", reset_zoom(window), ["Ctrl+0"])
    view_menu.addSeparator()
    for name, text, widget, key in (
        ("focus_documents", "Go to &Document List", window.doc_table, "Alt+1"),
        ("focus_text", "Go to &Text", window.view, "Alt+2"),
        ("focus_annotations", "Go to &Annotations", window.ann_table, "Alt+3"),
        ("focus_fields", "Go to &Fields", None, "Alt+4"),
    ):
        focus = window.coding.edit_attributes if widget is None else widget.setFocus
        _action(window, actions, view_menu, name, text, focus, [key])
    view_menu.addSeparator()
    _action(
        window,
        actions,
        view_menu,
        "coded_segments",
        "Coded &Segments",
        lambda: _corpus_view(window, "segments"),
        ["Ctrl+Shift+G"],
    )
    _action(
        window, actions, view_menu, "statistics", "Stat&istics", lambda: _corpus_view(window, "")
    )

    doc_menu = bar.addMenu("&Document")
    _action(
        window,
        actions,
        doc_menu,
        "next_doc",
        "&Next Document",
        lambda: window.step_document(1),
        ["Ctrl+PgDown", "Alt+Down"],
    )
    _action(
        window,
        actions,
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
            actions,
            doc_menu,
            f"status_{status.value}",
            f"Mark as {status.label}",
            partial(window.set_status, status),
            [keys],
        )
    doc_menu.addSeparator()
    _action(
        window,
        actions,
        doc_menu,
        "properties",
        "P&roperties…",
        lambda: _document_dialog(window, "edit_properties"),
        ["Ctrl+I"],
    )
    _action(
        window,
        actions,
        doc_menu,
        "document_variables",
        "Document &Variables…",
        lambda: _document_dialog(window, "edit_variables"),
    )

    team_menu = bar.addMenu("&Team")
    for name, text, team_slot in (
        ("team_prepare", "&Prepare Coder Copies…", lambda: _team(window, "prepare")),
        ("team_merge", "&Merge Coder Files…", lambda: _team(window, "merge")),
        ("team_progress", "Coder Pr&ogress", lambda: _team(window, "progress")),
    ):
        _action(window, actions, team_menu, name, text, team_slot)
    _action(window, actions, team_menu, "agreement", "&Agreement…", lambda: _agreement(window))
    _action(window, actions, team_menu, "adjudicate", "Ad&judicate…", partial(_adjudicate, window))

    help_menu = bar.addMenu("&Help")
    _action(
        window,
        actions,
        help_menu,
        "shortcuts",
        "&Keyboard Shortcuts",
        window.show_shortcuts,
        [QKeySequence.StandardKey.HelpContents, "Ctrl+/"],
    )
    _action(window, actions, help_menu, "welcome", "&Welcome", window.show_welcome)
    help_menu.addSeparator()
    _action(window, actions, help_menu, "about", "&About Annotator", lambda: _about(window))
    return Menus(actions, recent, code_menu, tags_end, toolbar, (undo, redo))


def _agreement(window: MainWindow) -> None:
    from annotator.qt.team.agreement_window import AgreementWindow

    dialog = AgreementWindow(window.project.path, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()


def _corpus_view(window: MainWindow, which: str) -> None:
    """View ▸ Coded Segments (a dock) or Statistics (a window), made on first use."""
    if window.session is None:
        return
    if which == "segments":
        from annotator.qt.segments.segments_dock import show_segments

        show_segments(window)
    else:
        from annotator.qt.statistics.statistics_window import show_statistics

        show_statistics(window)


def _import(window: MainWindow, name: str) -> None:
    from annotator.qt.importing import import_runner

    getattr(import_runner, name)(window)


def _team(window: MainWindow, what: str) -> None:
    from annotator.qt.team import merge_runner, prepare_dialog, progress_window

    if what == "prepare":
        prepare_dialog.prepare_coder_copies_dialog(window)
    elif what == "merge":
        merge_runner.merge_coder_files_dialog(window, _folder(window))
    else:
        progress_window.show_coder_progress(window)


def _import_refi(window: MainWindow) -> None:
    from annotator.qt.importing.refi_import import import_refi_project

    import_refi_project(window, _folder(window))


def _backups(window: MainWindow) -> None:
    from annotator.qt.safety.backups_dialog import show_backups

    show_backups(window)


def _about(window: MainWindow) -> None:
    from annotator.qt.common.about_dialog import show_about

    show_about(window)


def _document_dialog(window: MainWindow, name: str) -> None:
    from annotator.qt.documents import document_dialog

    getattr(document_dialog, name)(window)


def install_category_actions(window: MainWindow, menus: Menus, categories: list[Category]) -> None:
    """One action per category with its hotkey, in the Code menu and the toolbar."""
    for name in [n for n in menus.actions if n.startswith("tag_")]:
        action = menus.actions.pop(name)
        window.removeAction(action)
        menus.code_menu.removeAction(action)
        action.deleteLater()
    toolbar = menus.code_toolbar
    toolbar.clear()
    for category in categories:
        action = _action(
            window,
            menus.actions,
            menus.code_menu,
            f"tag_{category.key}",
            f"{category.label} ({category.hotkey})" if category.hotkey else category.label,
            partial(window.coding.tag_selection, category.key),
            [category.hotkey] if category.hotkey else None,
            before=menus.tags_end,
        )
        action.setIcon(colour_icon(category.colour))
        hint = f" ({category.hotkey})" if category.hotkey else ""
        action.setToolTip(f"{category.label}{hint}: {category.description}")
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addActions(list(menus.undo_redo))


def reset_zoom(window: MainWindow) -> Callable[[], None]:
    from annotator.qt.coding.document_view import DEFAULT_POINT_SIZE

    return lambda: window.view.set_point_size(DEFAULT_POINT_SIZE)


def _folder(window: MainWindow) -> str:
    """Where the project and codebook file dialogs start: the open project's folder,
    unless that is the app's own (hidden) data folder, where the sample project
    lives; then the user's documents folder."""
    if window.session is not None:
        folder = window.project.path.parent.resolve()
        if not folder.is_relative_to(data_dir().resolve()):
            return str(folder)
    return str(documents_dir())


def _refi(window: MainWindow, what: str) -> None:
    from annotator.qt.exporting import refi_export

    if what == "project":
        refi_export.export_refi_project(window, _folder(window))
    else:
        refi_export.export_refi_codebook(window, _folder(window))


def export_for_analysis(window: MainWindow) -> None:
    from annotator.qt.exporting.export_dialog import export_for_analysis_dialog

    export_for_analysis_dialog(window)


def edit_codebook(window: MainWindow) -> None:
    from annotator.qt.codebook.codebook_dialog import edit_codebook as open_editor

    if window.session is not None:
        open_editor(window, window.session, window.undo_stack)
