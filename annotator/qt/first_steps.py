"""What guides a coder in the window: the welcome, the key list, the Import button
of an empty project, and the question before marking done a document that still
has incomplete annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout

from annotator.core.model import Document
from annotator.qt.coding.document_view import DocumentView
from annotator.qt.coding.find_bar import FindBar
from annotator.qt.coding.reference_picker import ReferencePicker
from annotator.qt.coding.selection_keys import select_incomplete_after
from annotator.qt.common import dialogs
from annotator.qt.common.shortcuts_dialog import ShortcutsDialog, shortcut_rows
from annotator.qt.common.welcome import WelcomeBanner
from annotator.qt.search.search_panel import ResultsView

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow


def install_first_steps(
    window: MainWindow, centre: QVBoxLayout
) -> tuple[WelcomeBanner, QPushButton]:
    """The welcome (shown until dismissed; the window places it) and, added to
    ``centre``, the Import button an empty project shows."""
    welcome = WelcomeBanner()
    welcome.setVisible(not window.settings.welcome_dismissed)
    welcome.dismissed.connect(lambda: setattr(window.settings, "welcome_dismissed", True))
    welcome.shortcuts.connect(window.show_shortcuts)
    button = QPushButton("&Import Documents…")
    button.setObjectName("importButton")
    button.clicked.connect(lambda: window.menus.actions["import_documents"].trigger())
    button.hide()
    centre.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
    for signal in (
        window.documents.modelReset,
        window.documents.rowsInserted,
        window.documents.rowsRemoved,
    ):
        signal.connect(window._show_import_when_empty)
    return welcome, button


def show_import_when_empty(window: MainWindow) -> None:
    empty = window.documents.rowCount() == 0
    read_only = window.session is None or window.project.read_only
    window.import_button.setVisible(empty and not read_only)
    window.import_button.setEnabled(empty)


def show_welcome(window: MainWindow) -> None:
    window.welcome.show()
    window.settings.welcome_dismissed = False


def show_shortcuts(window: MainWindow) -> ShortcutsDialog:
    """The key list, from the menus' actions and the keys widgets handle themselves."""
    widget_keys = [
        *DocumentView.KEYS,
        *ReferencePicker.KEYS,
        *FindBar.key_help(),
        *ResultsView.KEYS,
    ]
    dialog = ShortcutsDialog(shortcut_rows(window.menuBar(), widget_keys), window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def done_despite_incomplete(window: MainWindow, doc: Document) -> bool:
    """Marking a document done that still has incomplete annotations: say how many
    and offer to go to them. True to mark it done."""
    missing = len(window.project.incomplete_ids(doc.id))
    if not missing:
        return True
    plural = "s lack" if missing != 1 else " lacks"
    answer = dialogs.choose(
        window,
        "Mark as Done",
        f"{missing} annotation{plural} a required field in “{doc.title}”.",
        ["Go to the First", "Mark as Done Anyway"],
    )
    if answer == 0:
        select_incomplete_after(window, -1)
    return answer == 1
