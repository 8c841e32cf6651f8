"""Importing files into the open project, one document per event-loop turn.

The questions (files, extensions, metadata CSV, encodings, the text column of
tables) are all asked before anything is stored; then an :class:`ImportRunner`
imports the documents one by one (a table's rows one by one) behind a progress
dialog whose Cancel keeps what is already in.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from annotator.importing.encodings import read_bytes
from annotator.importing.formats import SUPPORTED_EXTENSIONS, format_of
from annotator.importing.model import (
    FileOutcome,
    ImportRejected,
    ImportReport,
    ReadOptions,
    shown_name,
)
from annotator.importing.pipeline import (
    collect_files,
    detect_encoding,
    iter_import,
    metadata_for,
    read_metadata_csv,
)
from annotator.qt.common import dialogs
from annotator.qt.importing import import_dialogs

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow
    from annotator.store.project import Project

TITLE = "Import Documents"


class ImportRunner(QObject):
    """Imports the documents of ``files`` one per timer tick (a table's rows one by
    one); ``finished`` carries the report."""

    file_done = Signal(object)  # FileOutcome: one per document (per table row)
    finished = Signal(object)  # ImportReport

    def __init__(
        self,
        project: Project,
        files: list[Path],
        *,
        encodings: dict[Path, str] | None = None,
        text_columns: dict[Path, str] | None = None,
        metadata: dict[str, dict[str, str]] | None = None,
        outcomes: list[FileOutcome] | None = None,
        allow_duplicates: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.allow_duplicates = allow_duplicates
        self.files = files
        self.encodings = encodings or {}
        self.text_columns = text_columns or {}
        self.metadata = metadata or {}
        self.outcomes: list[FileOutcome] = list(outcomes or [])
        self.index = 0
        # The documents of files[index], being imported.
        self._current: Generator[FileOutcome, None, None] | None = None
        self._stored = 0  # outcomes of files[index] so far
        self.cancelled = False
        self.done = False
        self.progress = QProgressDialog("Preparing the import…", "Cancel", 0, len(files), parent)
        self.progress.setWindowTitle(TITLE)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setMinimumWidth(420)
        self.progress.canceled.connect(self.cancel)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    def start(self) -> None:
        self._timer.start()

    def cancel(self) -> None:
        if not self.done:
            self.cancelled = True

    def stop(self) -> None:
        """The project is closing: import nothing more and report nothing."""
        self.done = True
        self._timer.stop()
        self._close_file()
        self.progress.canceled.disconnect(self.cancel)
        self.progress.close()
        self.progress.deleteLater()
        self.deleteLater()

    def _close_file(self) -> None:
        if self._current is not None:
            self._current.close()  # what it stored stays
            self._current = None

    def _step(self) -> None:

        if self.done:
            return
        if self.cancelled or self.progress.wasCanceled() or self.index >= len(self.files):
            self._finish()
            return
        path = self.files[self.index]
        if self._current is None:
            self._current = iter_import(
                self.project,
                path,
                encoding=self.encodings.get(path),
                text_column=self.text_columns.get(path),
                metadata=metadata_for(path, self.metadata),
                allow_duplicates=self.allow_duplicates,
            )
            self._stored = 0
        so_far = f", {self._stored} rows done" if self._stored else ""
        self.progress.setLabelText(
            f"Importing {path.name}{so_far}\n({self.index + 1} of {len(self.files)})"
        )
        outcome = next(self._current, None)
        if outcome is None:  # the file is done
            self._current = None
            self.index += 1
            self.progress.setValue(self.index)
        else:
            self.outcomes.append(outcome)
            self._stored += 1
            self.file_done.emit(outcome)
        self._timer.start()

    def _finish(self) -> None:

        self.cancelled = self.cancelled or self.progress.wasCanceled()
        self.done = True
        self._close_file()
        self.progress.canceled.disconnect(self.cancel)
        self.progress.close()
        self.progress.deleteLater()
        self.finished.emit(ImportReport(self.outcomes, cancelled=self.cancelled))


def _folder(window: MainWindow) -> str:
    """Where the import's file dialog starts: the folder the last import came from,
    else the user's documents folder."""
    return str(window.settings.folder("import"))


def import_documents(window: MainWindow) -> None:
    """File ▸ Import Documents…"""

    paths = import_dialogs.choose_files(window, _folder(window), SUPPORTED_EXTENSIONS)
    if paths:
        window.settings.remember_folder("import", Path(paths[0]).parent)
        import_paths(window, [Path(p) for p in paths], ask_metadata=True)


def import_folder(window: MainWindow) -> None:
    """File ▸ Import Folder…: recursive, with the extensions the user picks."""

    folder = import_dialogs.choose_folder(window, _folder(window))
    if not folder:
        return
    window.settings.remember_folder("import", Path(folder).parent)
    extensions = import_dialogs.choose_extensions(window, SUPPORTED_EXTENSIONS)
    if extensions:
        import_paths(window, [Path(folder)], extensions=extensions, ask_metadata=True)


def import_paths(
    window: MainWindow,
    paths: Iterable[Path],
    *,
    extensions: Iterable[str] | None = None,
    ask_metadata: bool = False,
) -> ImportRunner | None:
    """Ask what needs asking, then start importing; ``None`` when nothing is to be done."""

    if window.session is None or getattr(window, "import_runner", None) is not None:
        return None
    paths = list(paths)
    unreadable: list[FileOutcome] = []
    files = collect_files(paths, extensions, unreadable)
    if not files:
        why = "".join(f"\n{shown_name(str(o.path))}: {o.reason}" for o in unreadable)
        dialogs.show_info(window, TITLE, "There are no files to import there." + why)
        return None
    metadata: dict[str, dict[str, str]] = {}
    if ask_metadata:
        choice = import_dialogs.ask_import(window, files, window.project.path.stem)
        if choice is None:
            return None
        csv_path = choice.metadata_csv
        if csv_path:
            try:
                metadata = read_metadata_csv(Path(csv_path))
            except (OSError, ValueError, UnicodeDecodeError) as exc:
                dialogs.show_error(window, TITLE, f"The metadata CSV cannot be read: {exc}")
                return None
    chosen = ask_encodings(window, files)
    if chosen is None:
        return None
    encodings, skipped = chosen
    outcomes = unreadable + [
        FileOutcome(path, "rejected", "skipped (encoding not chosen)") for path in skipped
    ]
    todo = [path for path in files if path not in skipped]
    columns = ask_text_columns(window, todo, encodings)
    if columns is None:
        return None
    text_columns, skipped = columns
    outcomes += [FileOutcome(p, "rejected", "skipped (text column not chosen)") for p in skipped]
    todo = [path for path in todo if path not in skipped]
    window.session.backup("before-import")
    runner = ImportRunner(
        window.project,
        todo,
        encodings=encodings,
        text_columns=text_columns,
        metadata=metadata,
        outcomes=outcomes,
        parent=window,
    )
    window.import_runner = runner
    runner.finished.connect(lambda report: _report(window, runner, report))
    runner.start()
    return runner


def ask_encodings(window: QWidget, files: list[Path]) -> tuple[dict[Path, str], set[Path]] | None:
    """The encodings the user chose for uncertain files, and the files to skip.

    ``None`` when the user cancels the whole import.
    """

    encodings: dict[Path, str] = {}
    skipped: set[Path] = set()
    for_all = ""
    for path in files:
        if not format_of(path).asks_encoding:
            continue
        try:
            decoded = detect_encoding(path)
        except ImportRejected:
            continue  # the import rejects it and says why
        if decoded.certain:
            continue
        if for_all:
            encodings[path] = for_all
            continue
        try:
            data = read_bytes(path)
        except ImportRejected:
            continue
        choice = import_dialogs.choose_encoding(
            window, path, data, decoded.encoding, tuple(decoded.alternatives), decoded.confidence
        )
        if choice.action == "cancel":
            return None
        if choice.action == "skip":
            skipped.add(path)
            continue
        encodings[path] = choice.encoding
        if choice.for_all:
            for_all = choice.encoding
    return encodings, skipped


def ask_text_columns(
    window: QWidget, files: list[Path], encodings: dict[Path, str]
) -> tuple[dict[Path, str], set[Path]] | None:
    """The text column the user chose for each table that has no column named
    ``text``, and the tables to skip; ``None`` when the user cancels the import."""

    chosen: dict[Path, str] = {}
    skipped: set[Path] = set()
    for_all = ""
    for path in files:
        kind = format_of(path)
        if kind.table is None:
            continue
        try:
            table = kind.preview(
                path, ReadOptions(encoding=encodings.get(path)), import_dialogs.PREVIEW_ROWS
            )
        except ImportRejected:
            continue  # the import rejects it and says why
        folded = {c.casefold() for c in table.columns}
        if "text" in folded or not any(table.columns):
            continue
        if for_all and for_all.casefold() in folded:
            chosen[path] = for_all
            continue
        choice = import_dialogs.choose_text_column(window, path, table)
        if choice.action == "cancel":
            return None
        if choice.action == "skip":
            skipped.add(path)
            continue
        chosen[path] = choice.column
        if choice.for_all:
            for_all = choice.column
    return chosen, skipped


def _report(window: MainWindow, runner: ImportRunner, report: ImportReport) -> None:
    window.import_runner = None
    runner.deleteLater()
    imported = [
        o.document.id for o in report.outcomes if o.status == "imported" and o.document is not None
    ]
    window.refresh_documents(imported[0] if imported else None)
    counts = ", ".join(
        f"{report.count(s)} {label}"
        for s, label in (
            ("imported", "imported"),
            ("duplicate", "skipped as duplicates"),
            ("rejected", "rejected"),
        )
    )
    lines = [f"{counts}.", "", *report.lines(), *getattr(report, "notes", [])]
    if report.cancelled and not any("cancel" in line.lower() for line in lines):
        lines.append("The import was cancelled; the files imported before remain.")
    dialogs.show_info(window, TITLE, "\n".join(lines))
    # Whole files only: importing a table again would bring in its other rows twice.
    duplicates = [o.path for o in report.outcomes if o.status == "duplicate" and not o.row]
    if (
        duplicates
        and not report.cancelled
        and dialogs.confirm(
            window,
            TITLE,
            f"{len(duplicates)} file{'s have' if len(duplicates) != 1 else ' has'} the same text as"
            " a document already in the project. Import them anyway, as separate documents?",
        )
    ):
        again = ImportRunner(
            window.project,
            duplicates,
            encodings=runner.encodings,
            text_columns=runner.text_columns,
            metadata=runner.metadata,
            allow_duplicates=True,
            parent=window,
        )
        window.import_runner = again
        again.finished.connect(lambda report: _report(window, again, report))
        again.start()
