"""What the app remembers between runs, in an INI file in the user config folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QTimer

from annotator.core.paths import config_dir, documents_dir

MAX_RECENT = 8
# The document shown is written this long after the last change of document: paging
# through documents rewrites the settings file once, not at every step.
DOCUMENT_WRITE_DELAY_MS = 2000


def _project_key(path: Path) -> str:
    return "project_" + hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


class AppSettings:
    def __init__(self, path: Path | None = None) -> None:
        path = path or config_dir() / "settings.ini"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        self._document: tuple[Path, str, int] | None = None  # not written yet
        self._document_timer: QTimer | None = None

    def sync(self) -> None:
        self._write_document()
        self._qs.sync()

    # -- coder ------------------------------------------------------------------
    @property
    def coder(self) -> str:
        return str(self._qs.value("coder", "") or "")

    @coder.setter
    def coder(self, name: str) -> None:
        self._qs.setValue("coder", name)

    # -- projects -----------------------------------------------------------------
    @property
    def last_project(self) -> Path | None:
        value = self._qs.value("last_project", "")
        return Path(str(value)) if value else None

    def recent_projects(self) -> list[Path]:
        value = self._qs.value("recent_projects", [])
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(str(p)) for p in items if p]

    def remember_project(self, path: Path) -> None:
        path = path.resolve()
        recent = [p for p in self.recent_projects() if p != path]
        self._qs.setValue("last_project", str(path))
        self._qs.setValue("recent_projects", [str(p) for p in [path, *recent][:MAX_RECENT]])

    def last_document(self, project: Path) -> tuple[str, int]:
        self._write_document()
        key = _project_key(project)
        doc = str(self._qs.value(f"{key}/document", "") or "")
        position = _int(self._qs.value(f"{key}/position", 0), 0)
        return doc, position

    def remember_document(self, project: Path, doc_id: str, position: int) -> None:
        """Remember the document shown and the cursor's position in it. Written a
        moment later (each write rewrites the file), and at :meth:`sync`."""
        if self._document is not None and self._document[0] != project:
            self._write_document()  # the one remembered for another project
        self._document = (project, doc_id, position)
        if self._document_timer is None:
            self._document_timer = QTimer()
            self._document_timer.setSingleShot(True)
            self._document_timer.setInterval(DOCUMENT_WRITE_DELAY_MS)
            self._document_timer.timeout.connect(self._write_document)
        self._document_timer.start()

    def _write_document(self) -> None:
        if self._document is None:
            return
        project, doc_id, position = self._document
        self._document = None
        key = _project_key(project)
        self._qs.setValue(f"{key}/document", doc_id)
        self._qs.setValue(f"{key}/position", position)

    # -- window ---------------------------------------------------------------------
    def point_size(self, default: int) -> int:
        return _int(self._qs.value("view/point_size", default), default) or default

    def set_point_size(self, size: int) -> None:
        self._qs.setValue("view/point_size", size)

    def folder(self, purpose: str) -> Path:
        """The folder a file dialog for ``purpose`` ("import", "export"…) last used,
        if it still exists; else the user's documents folder (never the hidden folder
        the app keeps its own files in)."""
        value = str(self._qs.value(f"folders/{purpose}", "") or "")
        if value and Path(value).is_dir():
            return Path(value)
        return documents_dir()

    def remember_folder(self, purpose: str, folder: Path) -> None:
        self._qs.setValue(f"folders/{purpose}", str(folder))

    @property
    def welcome_dismissed(self) -> bool:
        return str(self._qs.value("view/welcome_dismissed", "false")).lower() == "true"

    @welcome_dismissed.setter
    def welcome_dismissed(self, dismissed: bool) -> None:
        self._qs.setValue("view/welcome_dismissed", "true" if dismissed else "false")

    def state(self, name: str) -> QByteArray | None:
        value = self._qs.value(f"window/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_state(self, name: str, value: QByteArray) -> None:
        self._qs.setValue(f"window/{name}", value)

    # -- export for analysis ----------------------------------------------------------
    def export_choices(self) -> dict[str, str | list[str]]:
        """The last export's folder, profile, coder ("" = all), formats and whether it
        wrote the actor networks ("1" or "")."""
        formats = str(self._qs.value("export/formats", "csv") or "csv")
        networks = str(self._qs.value("export/actor_networks", "") or "") == "1"
        return {
            "folder": str(self._qs.value("export/folder", "") or ""),
            "profile": str(self._qs.value("export/profile", "analysis") or "analysis"),
            "coder": str(self._qs.value("export/coder", "") or ""),
            "formats": [f for f in formats.split(",") if f],
            "actor_networks": "1" if networks else "",
        }

    def set_export_choices(
        self,
        folder: str,
        profile: str,
        coder: str,
        formats: list[str] | tuple[str, ...],
        actor_networks: bool = False,
    ) -> None:
        self._qs.setValue("export/folder", folder)
        self._qs.setValue("export/profile", profile)
        self._qs.setValue("export/coder", coder)
        self._qs.setValue("export/formats", ",".join(formats))  # a 1-item list reads back as str
        self._qs.setValue("export/actor_networks", "1" if actor_networks else "")


def _int(value: object, default: int) -> int:
    """A number read back from the settings file (a string on some platforms)."""
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default
