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

from annotator.importing.pipeline import import_one

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
