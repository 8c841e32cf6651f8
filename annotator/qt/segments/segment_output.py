"""The Coded Segments view's rows out: a CSV file with the table's columns, or
the clipboard as tab-separated lines (for a paper's appendix)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from annotator.core.progress import Cancelled, Progress
from annotator.exporting.segments_csv import write_segments_csv
from annotator.qt.common import dialogs
from annotator.qt.common.settings import AppSettings
from annotator.qt.segments.segment_model import SegmentModel
from annotator.store.segments import SegmentReader

CLIPBOARD_ROWS = 20_000  # more: a CSV file


def _tsv_cell(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def copy_rows(parent: QWidget, model: SegmentModel, clipboard: QClipboard) -> int:
    """The filtered rows with a header line; refuses more than CLIPBOARD_ROWS."""
    count = model.rowCount()
    if count > CLIPBOARD_ROWS:
        dialogs.show_info(
            parent,
            "Copy Rows",
            f"{count:,} rows are more than the clipboard should hold ({CLIPBOARD_ROWS:,}). "
            "Narrow the filter, or use Export CSV….",
        )
        return 0
    columns = model.columns
    lines = ["\t".join(columns.headers)]
    for page in model.reader.pages():
        lines += ["\t".join(_tsv_cell(c) for c in columns.cells(s)) for s in page]
    clipboard.setText("\n".join(lines) + "\n")
    return count


def export_rows(parent: QWidget, reader: SegmentReader, settings: AppSettings) -> Path | None:
    """Ask for a file, write the filtered rows with a progress bar and Cancel."""
    folder = settings.folder("segments")
    chosen = dialogs.choose_file_to_save(
        parent, "Export Coded Segments", str(folder / "coded_segments.csv"), "CSV files (*.csv)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".csv":
        path = path.with_name(path.name + ".csv")
    settings.remember_folder("segments", path.parent)
    bar = QProgressDialog("Writing coded segments…", "Cancel", 0, max(reader.count, 1), parent)
    bar.setWindowModality(Qt.WindowModality.WindowModal)
    bar.setMinimumDuration(500)

    def report(done: int, total: int, _label: str) -> None:
        bar.setValue(done)
        QApplication.processEvents()
        if bar.wasCanceled():
            progress.cancel()

    progress = Progress(report)
    try:
        rows = write_segments_csv(reader, path, progress)
    except Cancelled:
        return None
    except OSError as exc:
        dialogs.show_error(parent, "Export Coded Segments", f"“{path}” cannot be written: {exc}")
        return None
    finally:
        bar.close()
    parent.window().statusBar().showMessage(  # type: ignore[attr-defined]
        f"{rows:,} coded segments written to {path.name}.", 8000
    )
    return path
