"""What every part of the project store shares: the connection and transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from annotator.store.errors import (
    READ_ONLY_MESSAGE,
    ProjectError,
    damaged_message,
    plain_message,
)


def known_type(types: Mapping[str, object], name: str) -> str:
    """A type name read from the file; ``ProjectError`` if this version does not know it
    (the file does not list the types: a later version may add one)."""
    if name not in types:
        raise ProjectError(
            f"This project uses a type, “{name}”, that this version of Annotator does not "
            "know. Update Annotator to open it."
        ) from None
    return name


class ProjectDatabase(Database):
    """A project's database: a write transaction takes the write lock when it begins.

    sqlite-utils begins with a plain ``BEGIN``, which takes the lock only at the first
    write; if another program wrote meanwhile, SQLite refuses at once ("busy") without
    waiting out the busy timeout. ``BEGIN IMMEDIATE`` waits its turn (up to the busy
    timeout) and then cannot be refused halfway. Nested blocks stay savepoints.
    """

    @contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        if self.conn.in_transaction:  # inside a transaction: a savepoint, as before
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()  # a no-op if the error already ended the transaction
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


class StoreBase:
    def __init__(self, path: Path, db: Database) -> None:
        self.path = path
        self.db = db
        # Opened read-only (another window holds the project): SQLite refuses writes.
        self.read_only = bool(db.execute("PRAGMA query_only").fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One user action: all of it is committed, or none of it."""
        if self.read_only:
            raise ProjectError(READ_ONLY_MESSAGE)
        try:
            with self.db.atomic():
                yield
        except sqlite3.Error as exc:
            raise ProjectError(plain_message(exc)) from exc

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read inside sees the project as it was at the first one, whatever
        another connection commits meanwhile (one read transaction)."""
        conn = self.db.conn
        if conn.in_transaction:  # already inside a transaction: it is the snapshot
            yield
            return
        try:
            conn.execute("BEGIN")  # inside: an interrupt right after it still ends it
            yield
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")  # nothing was written: this only ends the read

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """The rows of a query; what each column holds is the schema's business."""
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:  # a damaged file that still opened
            raise ProjectError(damaged_message(exc)) from exc

    def _count(self, sql: str, params: Sequence[object] = ()) -> int:
        """The number a ``SELECT COUNT(*)`` query returns (always an integer in SQLite)."""
        count: int = self._query(sql, params)[0][0]
        return count
