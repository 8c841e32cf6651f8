"""Timestamps and ids as stored: ISO-8601 UTC and random UUIDs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def utc_now() -> str:
    """Current UTC time as ISO-8601 with milliseconds and a ``Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> str:
    return str(uuid.uuid4())
