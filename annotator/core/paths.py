"""The user's folders for projects and settings (platformdirs, overridable)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Annotator"
PROJECT_SUFFIX = ".annotator"


def data_dir() -> Path:
    """Where projects live by default; ``ANNOTATOR_DATA_DIR`` overrides it."""
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))


def config_dir() -> Path:
    """Where settings live; ``ANNOTATOR_CONFIG_DIR`` overrides it."""
    override = os.environ.get("ANNOTATOR_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, False))


def default_project_path() -> Path:
    return data_dir() / "projects" / f"Sample Project{PROJECT_SUFFIX}"


def backups_dir() -> Path:
    """Automatic project backups: beside the user data, never in a project folder."""
    return data_dir() / "backups"


def documents_dir() -> Path:
    """The user's documents folder (where a file dialog starts before one was
    remembered), else the home folder."""
    found = Path(platformdirs.user_documents_dir())
    return found if found.is_dir() else Path.home()
