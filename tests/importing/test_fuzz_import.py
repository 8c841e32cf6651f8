"""Fuzzing import_one: random contents under every supported extension.

import_one never raises: it imports, reports a duplicate, or rejects with a
reason and writes nothing. What it stores is canonical text.
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.importing.pipeline import import_documents, import_one

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EXTENSIONS = (".txt", ".md", ".html", ".htm", ".docx", ".pdf", ".rtf", ".odt")
CODECS = ("utf-8", "utf-16", "cp1252", "shift_jis", "euc-kr")
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
PREFIXES = (
    b"",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"{\\rtf1\\ansi ",
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"<html><body><p>",
)

encoded = st.builds(
    lambda text, codec: text.encode(codec, errors="ignore"), TEXT, st.sampled_from(CODECS)
)
# RTF-ish bodies with escapes, so the RTF reader's decoding is reached.
rtf = st.lists(
    st.one_of(
        TEXT.map(lambda t: t.encode("cp1252", "ignore")),
        st.integers(0, 255).map(lambda b: b"\\'%02x" % b),
        st.integers(-32768, 65535).map(lambda n: b"\\u%d?" % n),
        st.sampled_from([b"\\par ", b"{", b"}", b"\\b ", b"\\ansicpg932 "]),
    ),
    max_size=30,
).map(lambda parts: b"{\\rtf1\\ansi " + b"".join(parts) + b"}")
# HTML-ish bodies with character references and tags.
html = st.lists(
    st.one_of(
        TEXT.map(lambda t: t.encode("utf-8")),
        st.integers(0, 0x11FFFF).map(lambda n: b"&#%d;" % n),
        st.sampled_from(
            [b"<p>", b"</p>", b"<pre>", b"<br>", b"<td>", b"<script>", b"&nbsp;", b"\r\n", b"\x00"]
        ),
    ),
    max_size=30,
).map(b"".join)
CONTENTS = st.one_of(
    st.binary(max_size=2048),
    st.builds(
        lambda prefix, body: prefix + body, st.sampled_from(PREFIXES), st.binary(max_size=2048)
    ),
    encoded,
    rtf,
    html,
)


@FUZZ
@given(content=CONTENTS, extension=st.sampled_from(EXTENSIONS))
def test_import_one_never_raises_and_stores_canonical_text(project, content, extension):
    before = project.documents()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{extension}"
        path.write_bytes(content)
        outcome = import_one(project, path)
    assert outcome.status in ("imported", "duplicate", "rejected")
    if outcome.status == "rejected":
        assert outcome.reason.strip()
        assert project.documents() == before
        return
    document = outcome.document
    assert document is not None
    text = project.document_text(document.id)
    assert document.char_count == len(text)
    assert "\r" not in text
    assert "\x00" not in text
    assert unicodedata.normalize("NFC", text) == text
    if outcome.status == "duplicate":
        assert project.documents() == before
    else:
        assert len(project.documents()) == len(before) + 1


def test_rtf_nul_escape_is_not_stored(project, tmp_path):
    path = tmp_path / "nul.rtf"
    path.write_bytes(b"{\\rtf1\\ansi a\\'00b}")
    outcome = import_one(project, path)
    if outcome.status == "imported":
        assert "\x00" not in project.document_text(outcome.document.id)


TABLE_CELLS = st.lists(
    st.lists(
        st.one_of(TEXT, st.sampled_from(['"', '""', ",", ";", "\t", "\r\n", "\n", "text"])),
        max_size=5,
    ),
    max_size=8,
)


@FUZZ
@given(
    rows=TABLE_CELLS,
    joiner=st.sampled_from([",", ";", "\t"]),
    codec=st.sampled_from(CODECS),
    raw=st.one_of(st.none(), st.binary(max_size=512)),
)
def test_tables_never_raise_and_store_canonical_text(project, rows, joiner, codec, raw):
    """Random tables, quoted or not, and random bytes named .csv: every row is an outcome."""
    content = (
        raw
        if raw is not None
        else "\n".join(joiner.join(r) for r in rows).encode(codec, errors="ignore")
    )
    before = len(project.documents())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.csv"
        path.write_bytes(content)
        outcomes = import_documents(project, path, allow_duplicates=True)
    assert outcomes and all(o.status in ("imported", "rejected") for o in outcomes)
    assert all(o.reason.strip() for o in outcomes if o.status == "rejected")
    imported = [o for o in outcomes if o.status == "imported"]
    assert len(project.documents()) == before + len(imported)
    for outcome in imported:
        text = project.document_text(outcome.document.id)
        assert "\r" not in text and "\x00" not in text and text.strip()
        assert unicodedata.normalize("NFC", text) == text


@FUZZ
@given(content=st.binary(max_size=2048), prefix=st.sampled_from([b"", b"PK\x03\x04"]))
def test_random_bytes_named_xlsx_are_rejected_not_raised(project, content, prefix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        path.write_bytes(prefix + content)
        (outcome,) = import_documents(project, path)
    assert outcome.status == "rejected" and outcome.reason.strip()
