"""Errors the store raises with messages meant for the user."""

import sqlite3


class ProjectError(Exception):
    """A project file cannot be opened or written; the message says why.

    ``unchanged``: True when the file was compared after the failure and found
    byte-identical, False when it was found changed, None when nobody compared."""

    unchanged: bool | None = None


class NotAProjectError(ProjectError):
    """The file is not an Annotator project."""


class DamagedProjectError(ProjectError):
    """The file is damaged: SQLite's check, its header or its pages say so."""


class ForeignLogError(DamagedProjectError):
    """A write-ahead log (``-wal``) beside the file does not belong to it."""


class DamagedDocumentError(ProjectError):
    """A document's text no longer matches the SHA-256 stored with it."""


class NewerProjectError(ProjectError):
    """The file was written by a newer version of the app."""


class OlderProjectError(ProjectError):
    """The file must be upgraded, and was opened read-only."""


READ_ONLY_MESSAGE = (
    "This project is open read-only because another window has it open; "
    "changes cannot be saved here"
)


def plain_message(exc: sqlite3.Error) -> str:
    """Say what an SQLite error means for the user's file."""
    text = str(exc)
    if "disk is full" in text or "database or disk is full" in text:
        return "The disk is full: free some space and try again"
    if "readonly" in text or "read-only" in text:
        return "The project file is read-only: check its permissions"
    if "locked" in text or "busy" in text:
        return "The project file is busy in another program: try again in a moment"
    return f"The project file could not be written ({text})"


def damaged_message(detail: object) -> str:
    """A read failed in a way only a damaged file explains."""
    return (
        f"The project file looks damaged ({detail}). Open a backup of it "
        "(File ▸ Backups…) or a copy."
    )
