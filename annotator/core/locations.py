"""Folders where a live SQLite file is at risk: cloud-synced and network folders."""

from __future__ import annotations

import sys
from pathlib import Path

# Folder names that sync services use, as they appear in a path.
_SYNCED = (
    ("dropbox", "Dropbox"),
    ("onedrive", "OneDrive"),
    ("icloud drive", "iCloud Drive"),
    ("mobile documents", "iCloud Drive"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
    ("box sync", "Box"),
    ("nextcloud", "Nextcloud"),
    ("owncloud", "ownCloud"),
)
_NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "afpfs", "sshfs", "fuse.sshfs", "9p"}


def _mount_type(path: Path) -> str | None:
    """The file system type of the mount holding ``path`` (Linux only)."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    best, kind = "", None
    target = str(path)
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and target.startswith(parts[1]) and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind


def risky_location(path: Path) -> str | None:
    """A name for the kind of folder ``path`` lives in, if SQLite files are at risk
    there (a sync service or a network share); ``None`` for a local folder."""
    resolved = path.resolve()
    text = str(resolved).lower().replace("\\", "/")
    for needle, name in _SYNCED:
        if f"/{needle}" in text:
            return f"a folder synced by {name}"
    if text.startswith("//"):  # a Windows UNC share
        return "a network share"
    if sys.platform.startswith("linux"):
        kind = _mount_type(resolved)
        if kind in _NETWORK_FS:
            return f"a network share ({kind})"
    return None
