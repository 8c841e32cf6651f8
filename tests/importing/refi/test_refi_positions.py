"""Positions of a REFI-QDA selection carried into the canonical text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.text import canonicalise
from annotator.importing.refi.positions import PositionMap

PIECES = ["a", "b", " ", "\n", "\r\n", "\r", "e\u0301", "\u1100\u1161", "👍🏽", "소"]


def test_crlf_shifts_every_later_position() -> None:
    raw = "Seoul said no.\r\nTokyo agreed.\r\nBeijing objected."
    positions = PositionMap(raw)
    assert positions.text == canonicalise(raw)
    for word in ("Seoul", "Tokyo", "Beijing"):
        start = raw.index(word)
        first, last = positions.span(start, start + len(word))
        assert positions.text[first:last] == word
    assert positions.span(0, len(raw)) == (0, len(positions.text))


def test_a_position_between_cr_and_lf_widens_the_span() -> None:
    raw = "one\r\ntwo"
    positions = PositionMap(raw)
    assert positions.span(4, 5) == (3, 4)  # "\n" alone: the whole line end
    assert positions.text[slice(*positions.span(2, 4))] == "e\n"


def test_atlas_counts_crlf_as_one() -> None:
    raw = "one\r\ntwo\r\nthree"
    canonical = canonicalise(raw)
    positions = PositionMap(raw, crlf_as_one=True)
    start = canonical.index("three")
    assert positions.text[slice(*positions.span(start, start + 5))] == "three"


def test_bom_is_not_counted_and_nfc_composes() -> None:
    raw = "\ufeffcafe\u0301 noir"
    positions = PositionMap(raw)
    assert positions.text == "café noir"
    first, last = positions.span(6, 10)  # raw without its BOM: "cafe\u0301 noir"
    assert positions.text[first:last] == "noir"
    assert positions.text[slice(*positions.span(0, 4))] == "café"  # inside the composition


@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30), st.data())
def test_spans_on_piece_boundaries_keep_their_text(pieces: list[str], data: st.DataObject) -> None:
    raw = "".join(pieces)
    bounds = [0]
    for piece in pieces:
        bounds.append(bounds[-1] + len(piece))
    i = data.draw(st.integers(0, len(pieces) - 1))
    j = data.draw(st.integers(i + 1, len(pieces)))
    positions = PositionMap(raw)
    assert positions.text == canonicalise(raw)
    first, last = positions.span(bounds[i], bounds[j])
    assert positions.text[first:last] == canonicalise(raw[bounds[i] : bounds[j]])
