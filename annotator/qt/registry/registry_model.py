"""The actor registry as a table: name, type, country, aliases, mention count."""

from __future__ import annotations

from PySide6.QtCore import (
    QObject,
    QSortFilterProxyModel,
    Qt,
)

from annotator.core.codebook import Actor
from annotator.qt.common.table_model import Index, RecordTableModel

HEADERS = ("Name", "Type", "Country", "Aliases", "Mentions")
NAME, TYPE, COUNTRY, ALIASES, MENTIONS = range(len(HEADERS))

ID_ROLE = Qt.ItemDataRole.UserRole
# Name and aliases, one per line: what the filter box searches.
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


class ActorTableModel(RecordTableModel[Actor]):
    """Read-only rows, one per registry actor; refreshed wholesale with :meth:`reset`."""

    headers = HEADERS
    header_tips = {MENTIONS: "How many annotation fields refer to this actor"}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Actor] = []

    def reset(self, actors: list[Actor]) -> None:
        self.beginResetModel()
        self._rows = list(actors)
        self.endResetModel()

    def actor(self, row: int) -> Actor:
        return self._rows[row]

    def actors(self) -> list[Actor]:
        return list(self._rows)

    def row_of(self, actor_id: str) -> int:
        for row, actor in enumerate(self._rows):
            if actor.id == actor_id:
                return row
        return -1

    # -- Qt model interface ----------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        actor = self.record_at(index)
        if actor is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return actor.name
            if column == TYPE:
                return actor.type
            if column == COUNTRY:
                return actor.country
            if column == ALIASES:
                return ", ".join(actor.aliases)
            return actor.mention_count  # an int, so the proxy sorts it numerically
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NAME and actor.notes:
                return actor.notes
            if column == ALIASES and actor.aliases:
                return "\n".join(actor.aliases)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == MENTIONS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return actor.id
        if role == SEARCH_ROLE:
            return "\n".join(actor.names())
        return None


def actor_proxy(model: ActorTableModel, parent: QObject | None = None) -> QSortFilterProxyModel:
    """Sorting by any column (names case-insensitively) and a case-insensitive
    filter over name and aliases (set it with ``setFilterFixedString``)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setSortLocaleAware(True)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterRole(SEARCH_ROLE)
    proxy.setFilterKeyColumn(NAME)
    return proxy
