import unicodedata

import pytest

from annotator.core.text import TextDecodeError, canonicalise, decode_bytes, sha256_text


def test_canonicalise_strips_bom_and_normalises_newlines_and_nfc():
    decomposed = "Cafe\u0301"
    text = "\ufeffline one\r\nline two\rline three\n" + decomposed
    result = canonicalise(text)
    assert result == "line one\nline two\nline three\nCaf\u00e9"
    assert unicodedata.is_normalized("NFC", result)


def test_canonicalise_is_idempotent():
    text = "a\r\n\r\nb\u0301 👍🏽 소아쌤"
    assert canonicalise(canonicalise(text)) == canonicalise(text)


def test_sha256_of_utf8():
    assert sha256_text("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Kim 소아쌤".encode(), "utf-8"),
        ("\ufeffKim".encode(), "utf-8-sig"),
        ("Kim 👍🏽".encode("utf-16"), "utf-16"),
    ],
)
def test_decode_bytes_accepts_utf8_and_bom_marked_utf16(data, encoding):
    text, used = decode_bytes(data)
    assert used == encoding
    assert text.lstrip("\ufeff").startswith("Kim")


def test_decode_bytes_refuses_binary_and_invalid_utf8():
    with pytest.raises(TextDecodeError, match="binary"):
        decode_bytes(b"abc\x00def")
    with pytest.raises(TextDecodeError, match="not valid UTF-8"):
        decode_bytes("café".encode("cp1252"))
