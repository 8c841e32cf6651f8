import unicodedata

from annotator.core.text import canonicalise, sha256_text


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
