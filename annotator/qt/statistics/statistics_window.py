"""View ▸ Statistics: counts of the whole project as tables and charts, each
exportable (the table as CSV, the chart as PNG or SVG).

The counts by category, coder, document, source and month are read at once
(index reads). The stances over time, then the actor × polarity and actor ×
issue tables, the export's own (``exporting/statistics.py``), are counted on a
worker thread with its own read-only connection (``store/reader.py``: the
project's file is not checked again); their tabs say so until they are ready.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThread,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.progress import Cancelled, Progress
from annotator.exporting.statistics import ActorTables, actor_tables
from annotator.qt.common import dialogs
from annotator.qt.common.tables import make_table
from annotator.qt.statistics.chart import Chart
from annotator.qt.statistics.stat_tables import (
    StatTable,
    body_table,
    count_tables,
    stance_table,
)
from annotator.store.errors import ProjectError
from annotator.store.reader import open_reader
from annotator.store.statistics import count_annotations

if TYPE_CHECKING:
    from annotator.qt.main_window import MainWindow
    from annotator.qt.session import ProjectSession

Index = QModelIndex | QPersistentModelIndex
ACTOR_TABS = ("actor_by_polarity", "actor_by_issue")
LATER_TABS = ("stances_by_month", *ACTOR_TABS)


class RowsModel(QAbstractTableModel):
    def __init__(self, table: StatTable) -> None:
        super().__init__()
        self.table = table

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.table.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.table.headers[section]
        return None

    def data(self, index: Index, role: int = 0) -> object:
        if not index.isValid():
            return None
        value = self.table.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:,}" if isinstance(value, int) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TablePage(QWidget):
    """One statistic: its table beside its chart, and the buttons that save them."""

    def __init__(self, table: StatTable, settings_folder: Path) -> None:
        super().__init__()
        self.setObjectName(f"stat_{table.name}")
        self.table = table
        self.folder = settings_folder
        self.view = make_table(RowsModel(table), f"statTable_{table.name}")
        self.chart = Chart()
        self.chart.show_data(table.kind, table.title, table.labels, table.series)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(self.chart)
        split.setSizes([380, 620])
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for text, name, slot in (
            ("Export CSV…", "exportStatCsv", self.export_csv),
            ("Save Chart…", "saveStatChart", self.save_chart),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)

    def write_csv(self, path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(self.table.headers)
            writer.writerows(self.table.rows)

    def export_csv(self) -> None:
        chosen = dialogs.choose_file_to_save(
            self, "Export Table", str(self.folder / f"{self.table.name}.csv"), "CSV files (*.csv)"
        )
        if chosen:
            try:
                self.write_csv(Path(chosen))
            except OSError as exc:
                dialogs.show_error(self, "Export Table", f"“{chosen}” cannot be written: {exc}")

    def save_chart(self) -> None:
        chosen = dialogs.choose_file_to_save(
            self,
            "Save Chart",
            str(self.folder / f"{self.table.name}.png"),
            "PNG image (*.png);;SVG image (*.svg)",
        )
        if chosen:
            path = Path(chosen)
            if path.suffix.lower() not in (".png", ".svg"):
                path = path.with_name(path.name + ".png")
            try:
                self.chart.save(path)
            except OSError as exc:
                dialogs.show_error(self, "Save Chart", str(exc))


class _ActorCount(QObject):
    """The export's actor tables counted on a worker thread."""

    stances = Signal(object)  # Counter[(month, polarity)]
    done = Signal(object)  # ActorTables
    failed = Signal(str)

    def __init__(self, path: Path, coder: str | None, stances: bool = True) -> None:
        super().__init__()
        self.path = path
        self.coder = coder
        self.with_stances = stances  # the stances over time too (every coder's)
        self.progress = Progress()

    def run(self) -> None:
        try:
            project = open_reader(self.path)  # the window's project: checked already
            try:
                tables = actor_tables(
                    project,
                    self.progress,
                    self.coder,
                    self.stances.emit if self.with_stances else None,
                )
            finally:
                project.close()
        except Cancelled:
            return
        except (ProjectError, OSError) as exc:
            self.failed.emit(str(exc))
            return
        self.done.emit(tables)


class StatisticsWindow(QMainWindow):
    def __init__(self, session: ProjectSession, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("statisticsWindow")
        self.setWindowTitle(f"Statistics — {session.project.path.stem}")
        self.session = session
        self.main = window
        self.tabs = QTabWidget()
        # Whose stances the actor tables count: a team project holds several coders'
        # annotations, and the export counts one coder's when asked to.
        self.coder = QComboBox()
        self.coder.setObjectName("statisticsCoder")
        caption = QLabel("Actor tables &of:")
        caption.setBuddy(self.coder)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 0)
        bar.addWidget(caption)
        bar.addWidget(self.coder)
        bar.addStretch(1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.tabs)
        self.setCentralWidget(central)
        self.pages: dict[str, TablePage] = {}
        self.counts_ms = 0.0
        self._thread: QThread | None = None
        self._worker: _ActorCount | None = None
        # What the background counts found, with the project's state as the window's
        # connection saw it before they began (``Project.backup_state``: what it has
        # written and what other connections committed). The same state later means
        # nothing changed since: View ▸ Statistics again, or a coder chosen again,
        # shows them without counting. Keyed by coder (None: every coder).
        self._actors_seen: dict[str | None, tuple[object, ActorTables]] = {}
        self._stances_seen: tuple[object, Counter[tuple[str, str]]] | None = None
        self._counting: tuple[object, str | None] | None = None
        self.resize(1100, 700)
        self.refresh()
        self.coder.currentIndexChanged.connect(self._coder_chosen)

    def refresh(self) -> None:
        """Count again: the quick tables now, the actor tables in the background."""
        started = time.perf_counter()
        project = self.session.project
        codebook = self._codebook = project.codebook()
        chosen = self.coder.currentData()
        self.coder.blockSignals(True)
        self.coder.clear()
        self.coder.addItem("all coders", None)
        for name in project.coder_names():
            self.coder.addItem(name, name)
        self.coder.setCurrentIndex(max(self.coder.findData(chosen), 0) if chosen else 0)
        self.coder.blockSignals(False)
        tables = count_tables(count_annotations(project), codebook, project.documents(counts=False))
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self.pages = {}
        for table in tables:
            self._add(table)
        for name in LATER_TABS:
            waiting = QLabel("Counting the stances of every document…")
            waiting.setObjectName(f"waiting_{name}")
            waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(waiting, _tab_title(name))
        self.tabs.setCurrentIndex(max(current, 0))
        self.counts_ms = (time.perf_counter() - started) * 1000
        self._count_actors(stances=True)

    def _add(self, table: StatTable, at: int = -1) -> None:
        page = TablePage(table, self.main.settings.folder("statistics"))
        self.pages[table.name] = page
        if at < 0:
            self.tabs.addTab(page, _tab_title(table.name))
        else:
            self.tabs.removeTab(at)
            self.tabs.insertTab(at, page, _tab_title(table.name))

    def _coder_chosen(self, _index: int) -> None:
        """The actor tables counted again, of the coder chosen."""
        for name in ACTOR_TABS:
            page = self.pages.pop(name, None)
            if page is None:
                continue
            at = self.tabs.indexOf(page)
            waiting = QLabel("Counting the stances of every document…")
            waiting.setObjectName(f"waiting_{name}")
            waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            current = self.tabs.currentIndex()
            self.tabs.removeTab(at)
            self.tabs.insertTab(at, waiting, _tab_title(name))
            self.tabs.setCurrentIndex(current)
            page.deleteLater()
        self._count_actors()

    def _count_actors(self, stances: bool = False) -> None:
        """Count the actor tables on a worker; ``stances``: the stances over time
        first (they count every coder's: a coder chosen does not change them).
        What was counted before with the project as it is now is shown at once."""
        stances = stances or "stances_by_month" not in self.pages
        self.stop()
        chosen = self.coder.currentData()
        coder = str(chosen) if chosen else None
        state = self.session.project.backup_state()
        seen = self._actors_seen.get(coder)
        if seen is not None and seen[0] == state:
            if stances:
                if self._stances_seen is None or self._stances_seen[0] != state:
                    seen = None  # the stances over time are counted with the tables
                else:
                    self._replace(stance_table(self._stances_seen[1], self._codebook))
            if seen is not None:
                self._show_actors(seen[1])
                return
        self._counting = (state, coder)
        thread = QThread(self)
        worker = _ActorCount(self.session.project.path, coder, stances)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.stances.connect(self._stances_counted)
        worker.done.connect(self._actors_counted)
        worker.failed.connect(lambda message: dialogs.show_error(self, "Statistics", message))
        worker.done.connect(thread.quit)
        worker.failed.connect(thread.quit)
        self._thread, self._worker = thread, worker
        thread.start()

    def _replace(self, made: StatTable) -> None:
        current = self.tabs.currentIndex()
        title = _tab_title(made.name)
        at = next(i for i in range(self.tabs.count()) if self.tabs.tabText(i) == title)
        self._add(made, at)
        self.tabs.setCurrentIndex(current)

    def _stances_counted(self, stances: Counter[tuple[str, str]]) -> None:
        if self._counting is not None:
            self._stances_seen = (self._counting[0], stances)
        self._replace(stance_table(stances, self._codebook))

    def _actors_counted(self, tables: ActorTables) -> None:
        if self._counting is not None:
            state, coder = self._counting
            self._actors_seen[coder] = (state, tables)
        self._show_actors(tables)

    def _show_actors(self, tables: ActorTables) -> None:
        self._replace(
            body_table(ACTOR_TABS[0], "Stances by actor and polarity", tables.by_polarity, 2)
        )
        self._replace(body_table(ACTOR_TABS[1], "Stances by actor and issue", tables.by_issue, 3))

    def forget_counts(self) -> None:
        """Count everything afresh at the next refresh, as after a change to the project."""
        self._actors_seen.clear()
        self._stances_seen = None

    @property
    def actors_ready(self) -> bool:
        return all(name in self.pages for name in LATER_TABS)

    def stop(self) -> None:
        """Cancel a count in progress and wait for its thread."""
        if self._worker is not None:
            self._worker.progress.cancel()
            for signal in (self._worker.stances, self._worker.done, self._worker.failed):
                signal.disconnect()  # what it sent already is not shown
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
        self._thread = self._worker = None
        self._counting = None

    def closeEvent(self, event: object) -> None:  # noqa: N802
        self.stop()
        super().closeEvent(event)  # type: ignore[arg-type]


TITLES = {
    "by_category": "Categories",
    "by_coder": "Coders",
    "by_document": "Documents",
    "by_source": "Sources",
    "by_month": "Months",
    "stances_by_month": "Stances over Time",
    "actor_by_polarity": "Actor × Polarity",
    "actor_by_issue": "Actor × Issue",
}


def _tab_title(name: str) -> str:
    return TITLES.get(name, name)


def show_statistics(window: MainWindow) -> StatisticsWindow | None:
    """View ▸ Statistics: one window per project, counted afresh each time it is asked for."""
    if window.session is None:
        return None
    found = window.findChild(StatisticsWindow, "statisticsWindow")
    if found is not None and found.session is not window.session:
        found.stop()
        found.close()
        found.deleteLater()
        found = None
    if found is None:
        found = StatisticsWindow(window.session, window)
    else:
        found.refresh()
    found.show()
    found.raise_()
    found.activateWindow()
    return found
