from annotator.core.sentences import paragraph_end, sentence_end

TEXT = (
    "Kim said “the talks failed.” Seoul disagreed! Why? Dr. Lee\n"
    "岸田首相は述べた。会談は続く。\n"
    "Last line"
)


def test_each_press_reaches_the_next_sentence_end():
    ends = []
    position = 0
    for _ in range(4):
        position = sentence_end(TEXT, position)
        ends.append(TEXT[:position].rsplit(" ", 1)[-1])
    assert ends == ["failed.”", "disagreed!", "Why?", "Lee"]  # the paragraph ends first


def test_chinese_and_japanese_full_stops_need_no_space():
    start = TEXT.index("岸田")
    first = sentence_end(TEXT, start)
    assert TEXT[start:first] == "岸田首相は述べた。"
    assert TEXT[first : sentence_end(TEXT, first)] == "会談は続く。"


def test_paragraph_ends_and_the_next_one():
    first = paragraph_end(TEXT, 3)
    assert TEXT[first] == "\n" and TEXT[:first].endswith("Dr. Lee")
    second = paragraph_end(TEXT, first)
    assert TEXT[:second].endswith("会談は続く。")
    assert paragraph_end(TEXT, second) == len(TEXT)


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Gen. Kim met J. Smith in the U.S. on Friday. Talks went on."
    assert text[: sentence_end(text, 0)] == "Gen. Kim met J. Smith in the U.S. on Friday."
