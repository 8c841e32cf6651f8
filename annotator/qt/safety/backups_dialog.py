"""File ▸ Backups…: the current project's backups, and restoring one in place.

Restoring closes the project, puts the backup in place of the file (the current
file is set aside beside it, never deleted) and reopens it in the window. A
backup of the changes since a full one (a delta) is listed and restored like any
other. The dialog states the bound rotation keeps the backups' disk use in, and
"Back Up Now" writes a full backup when asked. Every question goes through
``dialogs`` so tests can answer it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.qt.common import dialogs
from annotator.store.backup_keeper import DELTA_ABOVE
from annotator.store.backups import (
    Backup,
    BackupPolicy,
    folder_for,
    list_backups,
    load_policy,
    parse_backup_name,
    restore_backup,
    save_policy,
)
from annotator.store.errors import ProjectError

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow

TITLE = "Backups"
REASONS = {
    "open": "On opening",
    "close": "On closing",
    "periodic": "While working",
    "manual": "Manual",
    "before-import": "Before an import",
    "before-merge": "Before merging actors",
    "before-delete": "Before a deletion",
    "before-migration": "Before a file upgrade",
}
HEADERS = ["Time", "Reason", "Kind", "Documents", "Annotations", "Size"]
_NUMBERS = {3, 4, 5}  # right-aligned columns


def local_time(created: str) -> str:
    """A backup's UTC ISO time as readable local time."""
    try:
        when = datetime.fromisoformat(created)
    except ValueError:
        return created
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def reason_label(reason: str) -> str:
    return REASONS.get(reason, reason.replace("-", " ").capitalize() or "Backup")


def size_text(size: int) -> str:
    """Bytes as a person reads them (KB, MB, GB; powers of 1,000)."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def kind_label(backup: Backup) -> str:
    if backup.base is None:
        return "Full copy"
    parsed = parse_backup_name(backup.base)
    since = local_time(parsed[0].isoformat()) if parsed else backup.base.name
    return f"Changes since {since}"


def _counts(backup: Backup) -> str:
    docs = "document" if backup.documents == 1 else "documents"
    anns = "annotation" if backup.annotations == 1 else "annotations"
    return f"{backup.documents} {docs}, {backup.annotations} {anns}"


def restore_into_window(window: MainWindow, backup: Backup) -> Path | None:
    """Replace the window's project file by ``backup`` and reopen it.

    Returns where the previous file was set aside, or None if nothing was restored
    (the error has then been shown and the current file reopened).
    """
    assert window.session is not None
    path = window.project.path
    window.session.project.close()
    try:
        aside = restore_backup(backup, path)
    except (ProjectError, OSError) as exc:
        window.reopen_project()  # the current file, untouched
        dialogs.show_error(window, TITLE, str(exc))
        return None
    if window.reopen_project():  # shows its own error on failure
        return aside
    # The restored copy cannot be opened: put the previous file back in place.
    try:
        restore_backup(Backup(aside, backup.created, "", 0, 0), path, check=False)
    except (ProjectError, OSError) as exc:
        dialogs.show_error(window, TITLE, f"The previous file is kept at “{aside}”: {exc}")
        return None
    window.reopen_project()
    return None


class BackupsDialog(QDialog):
    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.window_ = window
        self.setObjectName("backupsDialog")
        self.setWindowTitle(TITLE)
        self.resize(780, 420)
        self.backups: list[Backup] = []

        self.heading = QLabel()
        self.heading.setObjectName("backupsHeading")
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.restore_selected())

        self.folder_label = QLabel()
        self.folder_label.setObjectName("backupsFolder")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.bound_label = QLabel()
        self.bound_label.setObjectName("backupsBound")
        self.bound_label.setWordWrap(True)

        policy = load_policy()
        self.keep_last = QSpinBox()
        self.keep_last.setObjectName("keepLast")
        self.keep_last.setRange(1, 500)
        self.keep_last.setValue(policy.keep_last)
        self.keep_days = QSpinBox()
        self.keep_days.setObjectName("keepDays")
        self.keep_days.setRange(0, 365)
        self.keep_days.setValue(policy.keep_days)
        self.size_factor = QSpinBox()
        self.size_factor.setObjectName("sizeFactor")
        self.size_factor.setRange(1, 50)
        self.size_factor.setValue(policy.size_factor)
        for spin in (self.keep_last, self.keep_days, self.size_factor):
            spin.valueChanged.connect(lambda _value: self._save_policy())
        keep = QHBoxLayout()
        keep.addWidget(QLabel("Keep the newest"))
        keep.addWidget(self.keep_last)
        keep.addWidget(QLabel("backups and the last of each day for"))
        keep.addWidget(self.keep_days)
        keep.addWidget(QLabel("days,"))
        keep.addStretch(1)
        bound = QHBoxLayout()
        bound.addWidget(QLabel("in at most"))
        bound.addWidget(self.size_factor)
        bound.addWidget(QLabel("× the project's size (applied at the next backup)."))
        bound.addStretch(1)

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setObjectName("restoreBackup")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.backup_button = QPushButton("&Back Up Now")
        self.backup_button.setObjectName("backUpNow")
        self.backup_button.setToolTip("Write a full, checked copy of the project now.")
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.backup_button.clicked.connect(self.back_up_now)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("closeBackups")
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.bound_label)
        layout.addWidget(self.folder_label)
        layout.addLayout(keep)
        layout.addLayout(bound)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Re-read the backups of the window's current project (newest first)."""
        window = self.window_
        if window.session is None:
            self.backups = []
            self.heading.setText("No project is open.")
            self.folder_label.clear()
            self.bound_label.clear()
        else:
            path = window.project.path
            self.backups = list_backups(path)
            self.heading.setText(
                f"Backups of “{path.name}”, newest first. Restoring one replaces the "
                "project with it; the current file is kept aside, not deleted."
                if self.backups
                else f"“{path.name}” has no backups yet."
            )
            self.folder_label.setText(f"Backups are kept in {folder_for(path)}")
            self.bound_label.setText(self._bound_text(path))
        self.table.setRowCount(len(self.backups))
        for row, backup in enumerate(self.backups):
            cells = (
                local_time(backup.created),
                reason_label(backup.reason),
                kind_label(backup),
                str(backup.documents),
                str(backup.annotations),
                size_text(_file_size(backup.path)),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in _NUMBERS:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        if self.backups:
            self.table.selectRow(0)
        self._update_buttons()

    def _bound_text(self, path: Path) -> str:
        """The bound on the backups' disk use, and how much they use now."""
        policy = self._policy()
        size = _file_size(path)
        used = sum(_file_size(b.path) for b in self.backups)
        return (
            f"Backups of this project use at most {policy.size_factor} × its size or "
            f"{size_text(policy.min_bytes)}, whichever is more (here "
            f"{size_text(policy.limit_bytes(size))}); now {size_text(used)}. The newest full "
            "copy is always kept, and a backup of changes only with the full copy it builds "
            f"on. A project over {size_text(DELTA_ABOVE)} gets one full copy per session; "
            "later backups keep only the changes since it."
        )

    def _policy(self) -> BackupPolicy:
        return BackupPolicy(
            self.keep_last.value(),
            self.keep_days.value(),
            self.size_factor.value(),
            load_policy().min_bytes,
        )

    def back_up_now(self) -> bool:
        """A full, checked backup now (the user asked for it); True if written."""
        window = self.window_
        if window.session is None:
            return False
        done = window.session.backup("manual", full=True)
        self.refresh()
        return done

    def _save_policy(self) -> None:
        """Remembered for every project; rotation uses it from the next backup on."""
        try:
            save_policy(self._policy())
        except OSError as exc:
            dialogs.show_error(self, TITLE, f"The setting could not be saved: {exc}")
        if self.window_.session is not None:
            self.bound_label.setText(self._bound_text(self.window_.project.path))

    def selected(self) -> Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def restore_selected(self) -> bool:
        """Ask, then restore the selected backup into the window; True if restored."""
        backup = self.selected()
        window = self.window_
        if backup is None or window.session is None:
            return False
        path = window.project.path
        when = local_time(backup.created)
        if not dialogs.confirm(
            self,
            "Restore Backup",
            f"Restore the backup of {when} ({_counts(backup)})?\n\n"
            f"The project will be reopened from it; the current file is kept aside as "
            f"“{path.name}.before-restore-…” in {path.parent}. "
            "Undo history is cleared.",
        ):
            return False
        aside = restore_into_window(window, backup)
        if aside is None:
            self.refresh()
            return False
        dialogs.show_info(
            window,
            "Backup Restored",
            f"Restored the backup of {when} ({_counts(backup)}).\n\n"
            f"The previous file was set aside as {aside}",
        )
        self.accept()
        return True


def show_backups(window: MainWindow) -> None:
    if window.session is None:
        return
    if window.import_runner is not None:
        dialogs.show_error(window, TITLE, "Wait for the import to finish first.")
        return
    BackupsDialog(window).exec()
