"""Saved filters of the Coded Segments view: by name, per project (its id, so a
copied or moved project keeps them), in the user's settings. A filter is a way
of looking, not project data: saving one changes nothing in the project file."""

from __future__ import annotations

import json

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QComboBox, QWidget

from annotator.core.segment_filter import SegmentFilter
from annotator.qt.common import dialogs
from annotator.qt.common.settings import AppSettings

PROMPT = "(saved filters)"


class SavedFilters:
    def __init__(self, settings: AppSettings) -> None:
        self._settings = settings
        self._key = ""
        self._filters: dict[str, str] = {}  # name → the filter as JSON
        self._combo = QComboBox()
        self._combo.setObjectName("savedFilters")
        self._combo.setMinimumContentsLength(12)

    def combo(self) -> QComboBox:
        return self._combo

    def load(self, project_id: str) -> None:
        self._key = f"segment_filters_{project_id}"
        raw = self._settings.state(self._key)
        self._filters = {}
        if raw is not None:
            try:
                data = json.loads(bytes(raw.data()).decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                data = {}
            if isinstance(data, dict):
                self._filters = {str(k): str(v) for k, v in data.items()}
        self._show()

    def _show(self) -> None:
        self._combo.clear()
        self._combo.addItem(PROMPT)
        for name in sorted(self._filters, key=str.casefold):
            self._combo.addItem(name)

    def _write(self) -> None:
        text = json.dumps(self._filters, ensure_ascii=False, sort_keys=True)
        self._settings.set_state(self._key, QByteArray(text.encode("utf-8")))

    def names(self) -> list[str]:
        return sorted(self._filters, key=str.casefold)

    def save(self, name: str, f: SegmentFilter) -> None:
        self._filters[name] = f.to_json()
        self._write()
        self._show()
        self._combo.setCurrentIndex(self._combo.findText(name))

    def save_as(self, parent: QWidget, f: SegmentFilter) -> bool:
        name = dialogs.ask_text(parent, "Save Filter", "Name of the filter:")
        if not name:
            return False
        self.save(name, f)
        return True

    def delete(self, name: str) -> None:
        if self._filters.pop(name, None) is not None:
            self._write()
            self._show()

    def filter_at(self, index: int) -> SegmentFilter | None:
        name = self._combo.itemText(index)
        text = self._filters.get(name) if index > 0 else None
        if text is None:
            return None
        try:
            return SegmentFilter.from_json(text)
        except (TypeError, ValueError):
            return None
