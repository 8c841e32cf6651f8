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


def test_korean_words_take_particles_japanese_and_chinese_match_inside_text():
    text = "한국은 대한민국의 한국어 東京都に"
    assert _spans("한국", text) == ["한국", "한국"]
    assert _spans("민국", text) == []
    assert _spans("東京", text) == ["東京"]


def test_the_index_narrows_by_word_tokens():
    assert Term(("U.S.",)).index_expression() == '"U" AND "S"'
    assert Term(("secur",), prefix=True).index_expression() == '"secur"*'
    assert Term(("한국",)).index_expression() == '"한국"*'  # its particles
    assert Term(("東京",)).index_expression() is None  # inside longer tokens
    assert parse_query('Kim 東京 "extended deterrence"').index_expression() == (
        '"Kim" AND "extended" AND "deterrence"'
    )
    assert parse_query("東京").index_expression() is None


def test_korean_words_carry_particles_but_start_a_word():
    assert _spans("한국", "한국은 대한국 한국") == ["한국", "한국"]


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
    query=st.sampled_from(["ab", "a*", "b.a", '"ab ba"', "한국", "東京", "İb", "a_b", "_"]),
)
def test_the_fast_spans_are_the_patterns_matches(text, query):
    parsed = parse_query(query)
    assert parsed.spans(text) == [m.span() for m in parsed.regex.finditer(text)]
