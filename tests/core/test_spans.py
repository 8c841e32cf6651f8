import pytest

from annotator.core.spans import normalise_span

TEXT = "  South Korea sharply criticized the agreement.  "


def test_trims_whitespace():
    start = TEXT.index("South") - 2
    end = TEXT.index("Korea") + len("Korea") + 1
    assert TEXT[slice(*normalise_span(TEXT, start, end))] == "South Korea"


def test_snaps_partial_words_to_whole_words():
    start = TEXT.index("outh")
    end = TEXT.index("Korea") + 2
    assert TEXT[slice(*normalise_span(TEXT, start, end))] == "South Korea"


def test_keeps_punctuation_edges_as_selected():
    start = TEXT.index("the")
    end = TEXT.index(".") + 1
    assert TEXT[slice(*normalise_span(TEXT, start, end))] == "the agreement."


def test_reversed_and_whitespace_only_selections():
    assert normalise_span(TEXT, 9, 2) == normalise_span(TEXT, 2, 9)
    assert normalise_span(TEXT, 0, 2) is None
    assert normalise_span("", 0, 0) is None


@pytest.mark.parametrize("text", ["소아쌤은 말했다", "Kim 👍🏽 Jong"])
def test_non_latin_words_snap_too(text):
    assert text[slice(*normalise_span(text, 1, 2))] == text.split()[0]


@pytest.mark.parametrize(
    ("text", "start", "end", "word"),
    [("Kimq\u0323\u0307 x", 0, 3, "Kimq\u0323\u0307"), ("किताब है", 2, 3, "किताब")],
)
def test_combining_marks_stay_with_their_letters(text, start, end, word):
    assert text[slice(*normalise_span(text, start, end))] == word
