"""Fuzzing project open: random bytes and damaged project files.

Only ``ProjectError`` may escape ``open_project``; a refused file stays
byte-identical and nothing (-wal, -shm, -journal) is left beside it.
Reads after a successful open of a damaged file raise ``ProjectError`` too.
"""

from __future__ import annotations

import gc
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.store.connection import SQLITE_MAGIC
from annotator.store.errors import ProjectError
from annotator.store.project import create_project, open_project
from annotator.store.schema import APPLICATION_ID, SCHEMA_VERSION

FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KNOWN_OPEN_ESCAPES: tuple[type[BaseException], ...] = ()  # none: only ProjectError
READ_ESCAPES: tuple[type[BaseException], ...] = (ProjectError,)

_PROJECT_BYTES: dict[str, bytes] = {}


def _real_project_bytes() -> bytes:
    """A closed project file with a document, a coder and annotations."""
    if "real" not in _PROJECT_BYTES:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "real.annotator"
            with create_project(path) as project:
                doc = project.import_text(
                    "Putin met Kim 👍🏽 in Pyongyang.\n소아쌤 said: “no deal”.\n" * 5,
                    title="Summit",
                )
                project.add_annotation(doc.id, 0, 5, "actor", coder="Ana", memo="m")
                project.add_annotation(doc.id, 10, 13, "claim", coder="Bo")
            _PROJECT_BYTES["real"] = path.read_bytes()
    return _PROJECT_BYTES["real"]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "x.annotator")


def _try_open(data: bytes) -> tuple[str, object]:
    """Write ``data`` and open it; check a refusal. Returns (outcome, detail)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "x.annotator"
        path.write_bytes(data)
        refused = escaped_type = None
        try:
            project = open_project(path)
        except ProjectError as exc:
            refused = str(exc)
        except KNOWN_OPEN_ESCAPES as exc:
            escaped_type = type(exc)
        if refused is not None or escaped_type is not None:
            assert path.read_bytes() == data, "a refused file was modified"
            gc.collect()  # the error is gone: its connection must be too
            assert _leftovers(folder) == [], "a refused file left files beside it"
            if escaped_type is not None:
                return "escaped", escaped_type
            assert refused.strip(), "a refusal must say why"
            return "refused", None
        try:
            escaped = None
            try:
                project.documents()
                project.annotations()
            except READ_ESCAPES as exc:  # anything else fails the test
                escaped = type(exc)
        finally:
            project.close()
        return "opened", escaped


_HEADER_FIELDS = st.tuples(
    st.binary(min_size=44, max_size=44),  # bytes 16..59
    st.sampled_from([0, 1, SCHEMA_VERSION - 1, SCHEMA_VERSION, SCHEMA_VERSION + 1, 2**32 - 1]),
    st.binary(min_size=4, max_size=4),  # 64..67
    st.sampled_from([APPLICATION_ID, 0, APPLICATION_ID ^ 1]),
    st.binary(min_size=28, max_size=28),  # 72..99
    st.binary(max_size=4096),
)


def _header(fields: tuple) -> bytes:
    a, user_version, b, app_id, c, body = fields
    return (
        SQLITE_MAGIC
        + a
        + struct.pack(">I", user_version)
        + b
        + struct.pack(">I", app_id)
        + c
        + body
    )


RANDOM_FILES = st.one_of(
    st.binary(max_size=4096),
    st.binary(max_size=4096).map(lambda b: SQLITE_MAGIC + b),
    _HEADER_FIELDS.map(_header),
)


@pytest.fixture
def _frozen_heap() -> Iterator[None]:
    """Objects that exist before the examples run are left out of ``gc.collect()``:
    each example's collection then looks only at what the example made (a refused
    open's connection among it) instead of the whole test process, 0.15 s a time."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@FUZZ
@given(data=RANDOM_FILES)
def test_random_bytes_are_refused_unchanged(_frozen_heap, data):
    outcome, _detail = _try_open(data)
    assert outcome in ("refused", "opened")


@st.composite
def damaged(draw):
    good = _real_project_bytes()
    if draw(st.booleans()):
        return good[: draw(st.integers(0, len(good) - 1))]
    data = bytearray(good)
    for _ in range(draw(st.integers(1, 20))):
        offset = draw(st.integers(0, len(data) - 1))
        data[offset] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


@FUZZ
@given(data=damaged())
def test_truncated_or_bit_flipped_projects(_frozen_heap, data):
    outcome, _detail = _try_open(data)
    assert outcome in ("refused", "opened", "escaped")


# -- findings, pinned with minimal reproductions ----------------------------------
# Regression: open_database used to leave its connection (and -wal/-shm) open.
def test_refused_truncated_project_leaves_nothing_beside_it(tmp_path):
    good = _real_project_bytes()
    path = tmp_path / "x.annotator"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(ProjectError) as caught:
        open_project(path)
    assert caught.value is not None  # the app keeps the error to show it
    assert _leftovers(tmp_path) == []


def test_schema_with_bad_utf8_is_refused_with_a_message(tmp_path):
    good = _real_project_bytes()
    at = good.index(b"CREATE TABLE")
    data = good[:at] + b"CREATE TABL\xce" + good[at + 12 :]
    path = tmp_path / "x.annotator"
    path.write_bytes(data)
    with pytest.raises(ProjectError):
        open_project(path)
    assert path.read_bytes() == data


def test_damaged_schema_read_raises_project_error(tmp_path):
    good = _real_project_bytes()
    data = good.replace(b"imported_at", b"imported_ax")
    path = tmp_path / "x.annotator"
    path.write_bytes(data)
    try:
        project = open_project(path)
    except ProjectError:
        return
    with project, pytest.raises(ProjectError):
        project.documents()


def test_annotation_with_missing_coder_reads_as_project_error(tmp_path):
    path = tmp_path / "x.annotator"
    path.write_bytes(_real_project_bytes())
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA foreign_keys = OFF")  # as a damaged file would be
    conn.execute(
        "UPDATE annotations SET coder_id = 'gone' WHERE id = (SELECT MIN(id) FROM annotations)"
    )
    conn.commit()
    conn.close()
    with open_project(path) as project, pytest.raises(ProjectError) as caught:
        project.annotations()
    assert "not changed" not in str(caught.value)  # nobody compared the file: no such claim
