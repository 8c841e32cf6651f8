from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import OffsetMap, utf16_len


def _utf16_pos(text: str, cp: int) -> int:
    return len(text[:cp].encode("utf-16-le")) // 2


def test_emoji_counts_two_units_per_astral_character():
    text = "a👍🏽b"  # 👍 and 🏽 are both astral
    offsets = OffsetMap(text)
    assert len(text) == 4
    assert offsets.length_u16 == utf16_len(text) == 6
    assert [offsets.to_utf16(i) for i in range(5)] == [0, 1, 3, 5, 6]
    assert [offsets.to_codepoint(u) for u in (0, 1, 3, 5, 6)] == [0, 1, 2, 3, 4]


def test_position_inside_a_surrogate_pair_rounds_down():
    offsets = OffsetMap("a👍b")
    assert offsets.to_codepoint(2) == 1


def test_korean_is_identity():
    offsets = OffsetMap("소아쌤 said")
    assert offsets.is_identity
    assert offsets.to_utf16(3) == 3


@given(st.text(), st.data())
def test_round_trip_matches_utf16_encoding(text, data):
    offsets = OffsetMap(text)
    cp = data.draw(st.integers(min_value=0, max_value=len(text)))
    u16 = offsets.to_utf16(cp)
    assert u16 == _utf16_pos(text, cp)
    assert offsets.to_codepoint(u16) == cp
