"""The questions an import asks: which files, which extensions, which encoding,
which column of a table holds the texts.

Every modal question is a module function here, so tests can replace it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.importing.encodings import decode_as
from annotator.importing.formats import FOLDER_EXTENSIONS
from annotator.importing.model import ImportRejected
from annotator.importing.tables import Table
from annotator.qt.common.dialogs import ok_cancel_buttons

COMMON_ENCODINGS = (
    "utf-8",
    "cp1252",
    "latin-1",
    "shift_jis",
    "euc-kr",
    "gb18030",
    "big5",
    "utf-16",
)
PREVIEW_CHARS = 2000
PREVIEW_BYTES = 64 * 1024


def file_filter(extensions: Iterable[str]) -> str:
    patterns = " ".join(f"*{ext}" for ext in extensions)
    return f"Documents ({patterns});;All files (*)"


def choose_files(parent: QWidget | None, folder: str, extensions: Iterable[str]) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(
        parent, "Import Documents", folder, file_filter(extensions)
    )
    return list(paths)


def choose_folder(parent: QWidget | None, folder: str) -> str:
    return QFileDialog.getExistingDirectory(parent, "Import Folder", folder)


@dataclass(frozen=True)
class ImportChoice:
    metadata_csv: str = ""  # "" for none


class ImportDialog(QDialog):
    """What is about to be imported, with the optional metadata CSV, in one place:
    Import goes on, Cancel imports nothing."""

    def __init__(self, files: list[Path], project: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import Documents")
        self._folder = str(files[0].parent) if files else ""
        layout = QVBoxLayout(self)
        names = ", ".join(f.name for f in files[:3]) + (", …" if len(files) > 3 else "")
        count = f"{len(files)} file{'s' if len(files) != 1 else ''}"
        summary = QLabel(f"Import {count} ({names}) into “{project}”.")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        form = QFormLayout()
        row = QHBoxLayout()
        self.metadata = QLineEdit()
        self.metadata.setObjectName("metadataCsv")
        self.metadata.setPlaceholderText("none: titles come from the documents")
        choose = QPushButton("&Choose…")
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose)
        row.addWidget(self.metadata, 1)
        row.addWidget(choose)
        label = QLabel("&Metadata CSV (optional):")
        label.setBuddy(self.metadata)
        form.addRow(label, row)
        layout.addLayout(form)
        hint = QLabel(
            "A table with a <i>file_name</i> column and any of <i>title, source, author, "
            "date</i> and your own document variables, one row per file."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.buttons, self.ok = ok_cancel_buttons(self)
        self.ok.setText("&Import")
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _choose(self) -> None:
        path = choose_metadata_csv(self, self._folder)
        if path:
            self.metadata.setText(path)

    def choice(self) -> ImportChoice:
        return ImportChoice(self.metadata.text().strip())


def ask_import(parent: QWidget | None, files: list[Path], project: str) -> ImportChoice | None:
    """The import dialog; ``None`` when cancelled."""
    dialog = ImportDialog(files, project, parent)
    try:
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def choose_metadata_csv(parent: QWidget | None, folder: str) -> str:
    """An optional CSV of metadata by file name; "" (Cancel) means none."""
    path, _ = QFileDialog.getOpenFileName(
        parent,
        "Metadata CSV",
        folder,
        "CSV files (*.csv);;All files (*)",
    )
    return path


class ExtensionsDialog(QDialog):
    """Which file types a folder import takes; ``checked`` (default: all) are ticked."""

    def __init__(
        self,
        extensions: Iterable[str],
        parent: QWidget | None = None,
        checked: Iterable[str] | None = None,
    ) -> None:
        super().__init__(parent)
        extensions = list(extensions)
        ticked = set(extensions if checked is None else checked)
        self.setWindowTitle("Import Folder")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Import files of these types (subfolders included):"))
        grid = QGridLayout()
        self.boxes: dict[str, QCheckBox] = {}
        for n, ext in enumerate(extensions):
            box = QCheckBox(ext)
            box.setChecked(ext in ticked)
            box.toggled.connect(lambda _on: self._update())
            grid.addWidget(box, n // 4, n % 4)
            self.boxes[ext] = box
        layout.addLayout(grid)
        buttons, self.ok = ok_cancel_buttons(self)
        layout.addWidget(buttons)
        self._update()

    def _update(self) -> None:
        self.ok.setEnabled(bool(self.chosen()))

    def chosen(self) -> list[str]:
        return [ext for ext, box in self.boxes.items() if box.isChecked()]


def choose_extensions(parent: QWidget | None, extensions: Iterable[str]) -> list[str] | None:
    """The extensions to include, or ``None`` when the user cancels. The tables'
    are offered unticked: in a folder of texts a table is usually their metadata."""
    dialog = ExtensionsDialog(extensions, parent, FOLDER_EXTENSIONS)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


@dataclass(frozen=True)
class EncodingChoice:
    action: str  # "ok" | "skip" | "cancel"
    encoding: str = ""
    for_all: bool = False


def preview_text(data: bytes, encoding: str) -> str:
    """The first characters of ``data`` decoded as ``encoding``, or why it fails."""

    chunk = data[:PREVIEW_BYTES]
    error = ""
    for trim in range(4):  # the cut may split a multi-byte character
        try:
            return decode_as(chunk[: len(chunk) - trim] if trim else chunk, encoding)[
                :PREVIEW_CHARS
            ]
        except ImportRejected as exc:
            error = error or str(exc)
        except LookupError:
            return f"⚠ “{encoding}” is not an encoding Python knows."
        if len(chunk) == len(data):
            break
    return f"⚠ The file cannot be read as {encoding}: {error}"


class FileQuestion(QDialog):
    """A question about one file of an import, answered for it or for all the
    files that raise it: use the answer (``ok``), skip the file, or cancel the import."""

    def _add_answers(self, layout: QVBoxLayout, for_all: str, ok: str) -> None:
        self.for_all = QCheckBox(for_all)
        layout.addWidget(self.for_all)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip = buttons.addButton("Skip File", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.cancel = buttons.addButton("Cancel Import", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setDefault(True)
        self.ok.clicked.connect(lambda: self._finish("ok"))
        self.skip.clicked.connect(lambda: self._finish("skip"))
        self.cancel.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.action = "cancel"

    def _finish(self, action: str) -> None:
        self.action = action
        self.accept()


class EncodingDialog(FileQuestion):
    """Pick the encoding of one file, with a live preview; nothing is stored here."""

    def __init__(
        self,
        path: Path,
        data: bytes,
        suggestion: str,
        alternatives: Iterable[str] = (),
        parent: QWidget | None = None,
        confidence: str = "",
    ) -> None:
        super().__init__(parent)
        self.data = data
        self.setWindowTitle("Choose Encoding")
        self.resize(640, 480)
        layout = QVBoxLayout(self)
        guessed = {
            "high": f"It is most likely <b>{_escape(suggestion)}</b>.",
            "low": f"The best guess, <b>{_escape(suggestion)}</b>, is a weak one: "
            "other encodings read the file about as well.",
        }.get(confidence, "")
        intro = QLabel(
            f"The encoding of <b>{_escape(path.name)}</b> is uncertain. {guessed} Choose the "
            "one under which the preview reads correctly (look at accents and quotation marks)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        seen: list[str] = []
        for name in (suggestion, *alternatives, *COMMON_ENCODINGS):
            if name and name.lower() not in (s.lower() for s in seen):
                seen.append(name)
        suggested = "suggested, low confidence" if confidence == "low" else "suggested"
        for name in seen:
            label = f"{name} ({suggested})" if name == suggestion else name
            self.combo.addItem(label, name)
        form.addRow("&Encoding:", self.combo)
        layout.addLayout(form)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("encodingPreview")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFont("monospace"))
        layout.addWidget(self.preview, 1)
        self._add_answers(
            layout,
            "Use this for all remaining files with an uncertain encoding",
            "Import with This Encoding",
        )
        self.combo.currentIndexChanged.connect(lambda _i: self.update_preview())
        line_edit = self.combo.lineEdit()
        assert line_edit is not None  # the combo is editable
        line_edit.editingFinished.connect(self.update_preview)
        self.update_preview()

    def encoding(self) -> str:
        text = self.combo.currentText().strip()
        index = self.combo.currentIndex()
        if index >= 0 and text == self.combo.itemText(index):
            return str(self.combo.itemData(index))
        return re.sub(r" \(suggested[^)]*\)$", "", text)

    def set_encoding(self, name: str) -> None:
        index = self.combo.findData(name)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        else:
            self.combo.setEditText(name)
            self.update_preview()

    def update_preview(self) -> None:
        text = preview_text(self.data, self.encoding())
        self.preview.setPlainText(text)
        self.ok.setEnabled(not text.startswith("⚠"))

    def choice(self) -> EncodingChoice:
        if self.action == "ok":
            return EncodingChoice("ok", self.encoding(), self.for_all.isChecked())
        return EncodingChoice(self.action)


def choose_encoding(
    parent: QWidget | None,
    path: Path,
    data: bytes,
    suggestion: str,
    alternatives: tuple[str, ...] = (),
    confidence: str = "",
) -> EncodingChoice:
    dialog = EncodingDialog(path, data, suggestion, alternatives, parent, confidence)
    try:
        dialog.exec()
        return dialog.choice()
    finally:
        dialog.deleteLater()


@dataclass(frozen=True)
class ColumnChoice:
    action: str  # "ok" | "skip" | "cancel"
    column: str = ""
    for_all: bool = False  # use it for the other tables that have a column of that name


PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 120


def likely_text_column(table: Table) -> str:
    """The named column whose preview cells are longest: most likely the texts."""
    named = [i for i, c in enumerate(table.columns) if c]

    def length(index: int) -> int:
        return sum(len(cells[index]) for _n, cells in table.rows if index < len(cells))

    return table.columns[max(named, key=length)] if named else ""


class TextColumnDialog(FileQuestion):
    """Pick the column of a table that holds the texts, with its first rows shown."""

    def __init__(self, path: Path, table: Table, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose the Text Column")
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"<b>{_escape(path.name)}</b> holds one document per row, but no column is "
            "named “text”. Choose the column that holds the texts. Columns named title, "
            "source, author or date fill those fields; the others become document variables."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.combo = QComboBox()
        self.combo.setObjectName("textColumn")
        for name in table.columns:
            if name:
                self.combo.addItem(name, name)
        form.addRow("&Text column:", self.combo)
        layout.addLayout(form)
        self.preview = QTableWidget(len(table.rows), len(table.columns))
        self.preview.setObjectName("tablePreview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectColumns)
        self.preview.setWordWrap(False)
        self.preview.setHorizontalHeaderLabels(list(table.columns))
        self.preview.setVerticalHeaderLabels([str(n) for n, _cells in table.rows])
        for row, (_number, cells) in enumerate(table.rows):
            for column, cell in enumerate(cells[: len(table.columns)]):
                shown = " ⏎ ".join(cell.splitlines())
                if len(shown) > PREVIEW_CELL_CHARS:
                    shown = shown[:PREVIEW_CELL_CHARS] + "…"
                self.preview.setItem(row, column, QTableWidgetItem(shown))
        layout.addWidget(self.preview, 1)
        self._add_answers(
            layout, "Use this column for the other tables that have it", "Import with This Column"
        )
        self.ok.setEnabled(self.combo.count() > 0)
        self.columns = table.columns
        self.combo.currentIndexChanged.connect(lambda _i: self._show_column())
        likely = self.combo.findData(likely_text_column(table))
        self.combo.setCurrentIndex(max(likely, 0))
        self._show_column()

    def column(self) -> str:
        return str(self.combo.currentData() or "")

    def _show_column(self) -> None:
        if self.column() in self.columns:
            index = self.columns.index(self.column())
            self.preview.setColumnWidth(index, max(self.preview.columnWidth(index), 320))
            self.preview.selectColumn(index)

    def choice(self) -> ColumnChoice:
        if self.action == "ok":
            return ColumnChoice("ok", self.column(), self.for_all.isChecked())
        return ColumnChoice(self.action)


def choose_text_column(parent: QWidget | None, path: Path, table: Table) -> ColumnChoice:
    """Which column of ``table`` (a preview of ``path``) holds the texts."""
    dialog = TextColumnDialog(path, table, parent)
    try:
        dialog.exec()
        return dialog.choice()
    finally:
        dialog.deleteLater()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
