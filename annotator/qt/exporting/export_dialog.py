"""File ▸ Export for Analysis…: choose folder, profile, coder and file formats.

The export itself runs behind the window (:mod:`export_runner`).
Modal questions go through module functions (``choose_folder``,
``ask_export``, ``run_export_dialog``, ``format_hint``) so tests can replace them.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.paths import data_dir, documents_dir
from annotator.exporting.model import FORMATS, PROFILES, ExportOptions
from annotator.qt.common import dialogs
from annotator.qt.common.settings import AppSettings
from annotator.qt.exporting.export_runner import (
    running_export,
    say_one_is_running,
    start_export,
)
from annotator.store.project import Project

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

TITLE = "Export for Analysis"
PROFILE_LABELS = {
    "analysis": "For &analysis (R, Stata, pandas: UTF-8)",
    "excel": "For Exce&l (BOM, formulas neutralised)",
}
FORMAT_LABELS = {
    "csv": "CSV (always written)",
    "dta": "&Stata .dta",
    "sav": "SPSS .sa&v",
    "xlsx": "Excel .xls&x",
}
# Format → (module it needs, extra that installs it).
FORMAT_NEEDS = {
    "dta": ("pyreadstat", "stats"),
    "sav": ("pyreadstat", "stats"),
    "xlsx": ("openpyxl", "excel"),
}
ALL_CODERS = "All coders"


@dataclass(frozen=True)
class ExportRequest:
    folder: str
    options: ExportOptions


def format_hint(fmt: str) -> str:
    """ "" if ``fmt`` can be written here, else how to make it available."""
    if fmt not in FORMAT_NEEDS:
        return ""
    module, extra = FORMAT_NEEDS[fmt]
    if importlib.util.find_spec(module) is not None:
        return ""
    return f'needs {module}: pip install "annotator[{extra}]"'


def choose_folder(parent: QWidget | None, folder: str) -> str:
    return QFileDialog.getExistingDirectory(parent, "Export to Folder", folder)


def coder_names(project: Project) -> list[str]:
    """The coders who made annotations in ``project``, sorted."""
    return project.coder_names()


class ExportDialog(QDialog):
    def __init__(
        self,
        coders: list[str],
        settings: AppSettings,
        default_folder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.settings = settings
        choices = settings.export_choices()

        self.folder_edit = QLineEdit(str(choices["folder"]) or default_folder)
        self.folder_edit.setMinimumWidth(320)
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)

        self.profile_group = QButtonGroup(self)
        self.profile_buttons: dict[str, QRadioButton] = {}
        profile_box = QVBoxLayout()
        for profile in PROFILES:
            button = QRadioButton(PROFILE_LABELS.get(profile, profile))
            self.profile_group.addButton(button)
            self.profile_buttons[profile] = button
            profile_box.addWidget(button)
        chosen = str(choices["profile"])
        self.profile_buttons.get(chosen, self.profile_buttons[PROFILES[0]]).setChecked(True)

        self.coder_combo = QComboBox()
        self.coder_combo.addItem(ALL_CODERS, "")
        for name in coders:
            self.coder_combo.addItem(name, name)
        index = self.coder_combo.findData(str(choices["coder"]))
        self.coder_combo.setCurrentIndex(max(index, 0))

        self.format_boxes: dict[str, QCheckBox] = {}
        self.format_notes: dict[str, QLabel] = {}
        formats_grid = QGridLayout()
        formats_grid.setHorizontalSpacing(12)
        remembered = set(choices["formats"])
        for row, fmt in enumerate(FORMATS):
            box = QCheckBox(FORMAT_LABELS.get(fmt, fmt))
            hint = format_hint(fmt)
            if fmt == "csv":
                box.setChecked(True)
                box.setEnabled(False)
            elif hint:
                box.setEnabled(False)
                box.setToolTip(hint)
            else:
                box.setChecked(fmt in remembered)
            note = QLabel(hint)
            note.setEnabled(False)  # greyed, like other secondary text
            self.format_boxes[fmt] = box
            self.format_notes[fmt] = note
            formats_grid.addWidget(box, row, 0)
            formats_grid.addWidget(note, row, 1)
        formats_grid.setColumnStretch(1, 1)

        self.networks_box = QCheckBox("One-mode actor &networks (congruence, conflict)")
        self.networks_box.setToolTip(
            "actor_congruence and actor_conflict, CSV and GraphML, as the Discourse Network "
            "Analyzer makes them. With hundreds of registry actors they hold millions of "
            "edges: gigabytes, and most of the export's time."
        )
        self.networks_box.setChecked(choices.get("actor_networks") == "1")

        form = QFormLayout()
        form.addRow(self._label("Save &to:", self.folder_edit), folder_row)
        form.addRow("Files for:", profile_box)
        form.addRow(self._label("C&oder:", self.coder_combo), self.coder_combo)
        form.addRow("Formats:", formats_grid)
        form.addRow("Also:", self.networks_box)

        self.buttons, self.ok_button = dialogs.ok_cancel_buttons(self)
        self.ok_button.setText("&Export")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)

        self.folder_edit.textChanged.connect(self._update_ok)
        self._update_ok()
        self.folder_edit.setFocus()

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _browse(self) -> None:
        folder = choose_folder(self, self.folder_edit.text().strip())
        if folder:
            self.folder_edit.setText(folder)

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.folder_edit.text().strip()))

    def folder(self) -> str:
        return self.folder_edit.text().strip()

    def options(self) -> ExportOptions:
        profile = next(p for p, b in self.profile_buttons.items() if b.isChecked())
        coder = str(self.coder_combo.currentData() or "") or None
        formats = tuple(
            f
            for f, box in self.format_boxes.items()
            if box.isChecked() and box.isEnabled() or f == "csv"
        )
        return ExportOptions(
            profile=profile,
            coder=coder,
            formats=formats,
            actor_networks=self.networks_box.isChecked(),
        )

    def request(self) -> ExportRequest:
        return ExportRequest(self.folder(), self.options())

    def remember(self) -> None:
        options = self.options()
        self.settings.set_export_choices(
            self.folder(),
            options.profile,
            options.coder or "",
            list(options.formats),
            options.actor_networks,
        )

    def accept(self) -> None:
        if not self.folder():
            return
        self.remember()
        super().accept()


def _default_folder(window: MainWindow) -> str:
    """The project's folder; for the sample project, which lives in the app's hidden
    data folder, a folder for its export in the user's documents folder."""
    folder = window.project.path.parent.resolve()
    if folder.is_relative_to(data_dir().resolve()):
        return str(documents_dir() / f"{window.project.path.stem} export")
    return str(folder)


def go_on_despite_incomplete(window: MainWindow) -> bool:
    """Before an export: if annotations lack a required field, say how many and where,
    and offer to go to the first instead. True to export."""
    documents = [window.documents.document(r) for r in range(window.documents.rowCount())]
    missing = sum(d.incomplete_count for d in documents)
    if not missing:
        return True
    where = sum(1 for d in documents if d.incomplete_count)
    plural = "s lack" if missing != 1 else " lacks"
    answer = dialogs.choose(
        window,
        "Export for Analysis",
        f"{missing:,} annotation{plural} a required field, in {where:,} "
        f"document{'s' if where != 1 else ''}. They are exported as they are, marked in "
        "the incomplete column.",
        ["Export Anyway", "Go to the First"],
    )
    if answer == 1:
        from annotator.qt.coding.selection_keys import next_incomplete

        next_incomplete(window)
    return answer == 0


def ask_export(window: MainWindow) -> ExportRequest | None:
    """Show the dialog modally; the choices, or None if cancelled."""
    dialog = ExportDialog(
        coder_names(window.project), window.settings, _default_folder(window), window
    )
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.request()
        return None
    finally:
        dialog.deleteLater()


def run_export_dialog(window: MainWindow) -> ExportRequest | None:
    """What to export where, from the dialog; ``None`` if the user cancelled."""
    return ask_export(window)


def export_for_analysis_dialog(window: MainWindow) -> None:
    """File ▸ Export for Analysis…: ask, then export behind the window (the status
    bar shows how far it got and can cancel it)."""
    if window.session is None:
        return
    if running_export(window) is not None:
        say_one_is_running(window)
        return
    if not go_on_despite_incomplete(window):
        return
    request = run_export_dialog(window)
    if request is None:
        return
    start_export(window, request.folder, request.options)
