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


@pytest.mark.parametrize("text", ["Путин сказал", "Kim 👍🏽 Jong", "Ελλάδα είπε"])
def test_non_latin_words_snap_too(text):
    assert text[slice(*normalise_span(text, 1, 2))] == text.split()[0]


@pytest.mark.parametrize(
    ("text", "selected"),
    [
        ("대한민국 정부는 발표했다", "대한민국 정부"),  # not the particle 는
        ("윤석열 대통령이 말했다", "대통령"),
        ("岸田文雄首相は述べた", "岸田文雄"),  # not 首相は
        ("岸田文雄首相は述べた", "首相"),
        ("ソウルで会談した", "ソウル"),
        ("习近平主席表示", "习近平"),
    ],
)
def test_korean_japanese_and_chinese_keep_the_selection_as_made(text, selected):
    start = text.index(selected)
    assert text[slice(*normalise_span(text, start, start + len(selected)))] == selected


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("Koreaの首相", 1, 3, "Korea"),  # grows within Latin, not into kana
        ("Seoul서울 talks", 0, 3, "Seoul"),
        ("Путинcity x", 0, 2, "Путин"),  # nor from Cyrillic into Latin
        ("G7 summit", 0, 1, "G7"),  # digits go with any script
    ],
)
def test_a_word_grows_only_within_its_script(text, start, end, expected):
    assert text[slice(*normalise_span(text, start, end))] == expected


def test_the_sample_documents_korean_stays_as_selected():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "sample_docs"
    korean = [
        word
        for path in sorted(folder.glob("*.txt"))
        for word in path.read_text(encoding="utf-8").split()
        if any("\uac00" <= ch <= "\ud7a3" for ch in word) and len(word) >= 3
    ]
    assert korean, "the sample documents hold Korean"
    for word in korean[:50]:
        text = f"x {word} y"
        # Select all but the last syllable (a particle, say): it stays unselected.
        start = 2
        end = start + len(word) - 1
        assert normalise_span(text, start, end) == (start, end), word


@pytest.mark.parametrize(
    ("text", "start", "end", "word"),
    [("Kimq\u0323\u0307 x", 0, 3, "Kimq\u0323\u0307"), ("किताब है", 2, 3, "किताब")],
)
def test_combining_marks_stay_with_their_letters(text, start, end, word):
    assert text[slice(*normalise_span(text, start, end))] == word
