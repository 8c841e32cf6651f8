from annotator.core.codebook import (
    Actor,
    Attribute,
    AttributeType,
    Choice,
    Codebook,
    Value,
)
from annotator.core.links import describe, linked_ids, who_and_polarity
from annotator.core.model import Annotation, Category


def _ann(ident, category, quote):
    return Annotation(ident, "d", "c", category, 0, len(quote), quote, "", "", "", "Ana", category)


CATS = (
    Category("cat-a", "actor", "Actor", "#000", "1", "", 0),
    Category("cat-s", "stance", "Stance", "#000", "3", "", 2),
)
SUPPORT = Choice("ch-s", "pol", "support", 1.0, "", 0)
CODEBOOK = Codebook(
    CATS,
    (
        Attribute(
            "pol",
            "cat-s",
            "polarity",
            "Polarity",
            AttributeType.CHOICE,
            True,
            "",
            0,
            (),
            (SUPPORT,),
        ),
        Attribute(
            "hold",
            "cat-s",
            "holder",
            "Holder",
            AttributeType.REFERENCE,
            True,
            "",
            1,
            ("category:actor", "registry"),
        ),
    ),
)


def test_describe_each_kind():
    anns = {"a1": _ann("a1", "actor", "the   South Korean\ngovernment")}
    actors = {"r1": Actor("r1", "Government of South Korea", "state", "KR", "")}
    assert describe(Value("pol", choice_id="ch-s"), CODEBOOK, anns, actors) == "support"
    assert describe(Value("hold", annotation_id="a1"), CODEBOOK, anns, actors) == (
        "“the South Korean government”"
    )
    assert describe(Value("hold", actor_id="r1"), CODEBOOK, anns, actors) == (
        "Government of South Korea"
    )
    assert describe(Value("x", number=2.0), CODEBOOK, anns, actors) == "2"
    assert describe(None, CODEBOOK, anns, actors) == ""


def test_links_both_ways_and_table_columns():
    anns = {"a1": _ann("a1", "actor", "Seoul"), "s1": _ann("s1", "stance", "criticized")}
    values = {
        "s1": {"hold": Value("hold", annotation_id="a1"), "pol": Value("pol", choice_id="ch-s")}
    }
    assert linked_ids("a1", values) == {"s1"}
    assert linked_ids("s1", values) == {"a1"}
    assert who_and_polarity(anns["s1"], values, CODEBOOK, anns, {}) == ("“Seoul”", "support")
    assert who_and_polarity(anns["a1"], values, CODEBOOK, anns, {}) == ("", "")
