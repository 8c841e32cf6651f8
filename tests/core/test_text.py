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


def test_the_text_hash_is_the_hash_of_the_whole_utf8_and_needs_no_whole_copy():
    import hashlib
    import tracemalloc

    text = ("Seoul 👍🏽 대통령 said no. " * 100_000) + "é"  # 2.1 million code points
    assert sha256_text(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    for size in (1, 2, 50, 1001):  # short texts, pieces ending inside an emoji sequence
        assert sha256_text(text[:size]) == hashlib.sha256(text[:size].encode()).hexdigest()

    def peak(function) -> int:
        tracemalloc.start()
        function(text)
        result = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result

    whole = peak(lambda t: hashlib.sha256(t.encode("utf-8")).hexdigest())
    assert peak(sha256_text) < whole / 2  # a piece at a time, never the whole text's UTF-8
