"""What a corpus query means: terms, their patterns, the index's trigrams, context."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.corpus_query import QueryError, Term, compile_regex, context, parse_query


def _spans(query: str, text: str) -> list[str]:
    return [m.group() for m in parse_query(query).regex.finditer(text)]


def test_words_phrases_and_prefixes():
    query = parse_query('secur* "extended  deterrence" Seoul')
    assert [t.text for t in query.terms] == ["secur*", "extended deterrence", "Seoul"]
    assert [t.prefix for t in query.terms] == [True, False, False]


def test_a_word_matches_whole_words_in_any_case():
    text = "Security, insecurity and SECURE talks; securities."
    assert _spans("security", text) == ["Security"]
    assert _spans("secur*", text) == ["Security", "SECURE", "securities"]


def test_a_phrase_matches_across_any_white_space():
    text = "extended\ndeterrence and extended   deterrence, not extended deterrent"
    found = _spans('"extended deterrence"', text)
    assert found == ["extended\ndeterrence", "extended   deterrence"]


def test_korean_is_found_inside_words_japanese_and_chinese_inside_any_text():
    text = "한국은 대한민국의 한국어 대한국 東京都に 北京市"
    assert _spans("한국", text) == ["한국", "한국", "한국"]  # 한국은, 한국어, 대한국
    assert _spans("민국", text) == ["민국"]  # inside 대한민국의
    assert _spans("東京", text) == ["東京"]
    assert _spans("京", text) == ["京", "京"]
    assert _spans("都に", text) == ["都に"]


def test_korean_compounds_japanese_and_chinese_without_spaces():
    korean = "국가안보전략회의가 열렸다. 안보리는 북핵문제를 논의했다."
    assert _spans("안보", korean) == ["안보", "안보"]
    assert _spans("핵문제", korean) == ["핵문제"]
    japanese = "日本政府は拡大抑止を確認した。"
    assert _spans("抑止", japanese) == ["抑止"]
    assert _spans("政府は拡大", japanese) == ["政府は拡大"]
    chinese = "中华人民共和国外交部发言人表示"
    assert _spans("外交部", chinese) == ["外交部"]
    assert parse_query("外交部 发言人").spans(chinese) == [(7, 10), (10, 13)]
    assert parse_query("外交部 大使").spans(chinese) == []  # every term must occur


def test_mixed_script_queries():
    text = "The UN안보리 met; SUN안보 no. 미국NSC는 and NSCA; Kim 정은 spoke; Kim정은 not."
    # a Latin start is a word's start, a Korean end may go on, and the reverse
    assert _spans("UN안보", text) == ["UN안보"]
    assert _spans("국NSC는", text) == ["국NSC는"]
    assert _spans("국NSC", text) == []  # a Latin end is a word's end
    assert _spans('"Kim 정은"', text) == ["Kim 정은"]
    un, kim = text.index("UN안보리"), text.index("Kim 정은")
    # Kim정은: "Kim" is not a whole word there
    assert parse_query("UN안보리 Kim").spans(text) == [(un, un + 5), (kim, kim + 3)]


def test_the_index_narrows_by_word_tokens():
    assert Term(("U.S.",)).index_expression() == '"U" AND "S"'
    assert Term(("secur",), prefix=True).index_expression() == '"secur"*'
    assert Term(("한국",)).index_expression() is None  # inside longer tokens (대한국은)
    assert Term(("東京",)).index_expression() is None
    assert Term(("UN안보리",)).index_expression() is None
    assert Term(("Kim", "정은"), prefix=False).index_expression() == '"Kim"'
    assert parse_query('Kim 東京 "extended deterrence"').index_expression() == (
        '"Kim" AND "extended" AND "deterrence"'
    )
    assert parse_query("東京 한국").index_expression() is None


def test_empty_and_broken_queries_say_why():
    with pytest.raises(QueryError, match="Type a word"):
        parse_query('  "" ')
    with pytest.raises(QueryError, match="Not a regular expression"):
        compile_regex("(unclosed")
    assert compile_regex(r"\d+").flags & re.IGNORECASE == 0


def test_context_is_a_few_words_either_side_on_one_line():
    text = "one two three four five six seven eight nine\nten eleven twelve thirteen fourteen"
    start = text.index("nine")
    before, after = context(text, start, start + 4, words=3)
    assert before == "…six seven eight "
    assert after == " ten eleven twelve…"
    assert context(text, 0, 3, words=3) == ("", " two three four…")


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="abAB _.-\n한국은東京İ", max_size=40),
    query=st.sampled_from(
        [
            "ab",
            "a*",
            "b.a",
            '"ab ba"',
            "한국",
            "東京",
            "İb",
            "a_b",
            "_",
            "a한",
            "국b",
            '"b 한"',
            "aa",
            '"a a"',
            "a.a",
        ]
    ),
)
def test_the_fast_spans_are_the_patterns_matches(text, query):
    parsed = parse_query(query)
    assert parsed.spans(text) == [m.span() for m in parsed.regex.finditer(text)]
