"""The type registries: one definition per attribute and document-variable type."""

import pytest

from annotator.core.codebook import Attribute, AttributeType, Choice, Codebook, Value
from annotator.core.model import Category, Variable, VariableType
from annotator.core.types import (
    ATTRIBUTE_TYPES,
    DATE_FORMS,
    VARIABLE_TYPES,
    attribute_type,
    check_date,
    variable_type,
)
from annotator.core.types.columns import DATE, INTEGER, NUMBER, STRING


def test_every_type_name_has_one_definition():
    assert list(ATTRIBUTE_TYPES) == [t.value for t in AttributeType]
    assert list(VARIABLE_TYPES) == [t.value for t in VariableType]
    assert all(ATTRIBUTE_TYPES[t].name == t and ATTRIBUTE_TYPES[t].label for t in ATTRIBUTE_TYPES)
    assert all(VARIABLE_TYPES[t].name == t and VARIABLE_TYPES[t].label for t in VARIABLE_TYPES)
    with pytest.raises(ValueError, match="“colour” is not an attribute type"):
        attribute_type("colour")
    with pytest.raises(ValueError, match="not a document-variable type"):
        variable_type("reference")


@pytest.mark.parametrize("text", ["2024", "2024-06", "2024-06-22", "2024-02-29", " 1999-12 "])
def test_dates_whole_or_partial(text):
    assert check_date(text) == text.strip()


@pytest.mark.parametrize(
    "text", ["24", "2024-6", "2024-13", "2024-00", "2023-02-29", "22/06/2024", "0000", "２０２４"]
)
def test_not_dates(text):
    with pytest.raises(ValueError, match=f"is not a date \\({DATE_FORMS}\\)"):
        check_date(text)


def test_date_variables_and_date_attributes_share_the_rule():
    variable = Variable("v", "published", "Published", VariableType.DATE, (), 0)
    attribute = _attribute(AttributeType.DATE, label="Signed")
    assert variable_type("date").check(variable, "2024-06") == "2024-06"
    assert attribute_type("date").parse(attribute, " 2024-06 ", _codebook()) == Value(
        "a", text="2024-06"
    )
    with pytest.raises(ValueError, match="^Published: “2024-13” is not a date"):
        variable_type("date").check(variable, "2024-13")
    with pytest.raises(ValueError, match="^“Signed”: “2024-13” is not a date"):
        attribute_type("date").parse(attribute, "2024-13", _codebook())
    assert variable_type("date").column(variable, "x").description.endswith(f"({DATE_FORMS})")
    (plan,) = attribute_type("date").columns(attribute, "claim: Signed")
    assert (plan.type, plan.description) == (DATE, f"claim: Signed ({DATE_FORMS})")


def _attribute(kind: AttributeType, label: str = "Attr", **fields: object) -> Attribute:
    return Attribute("a", "c", "attr", label, kind, False, "", 0, **fields)  # type: ignore[arg-type]


def _codebook(*attributes: Attribute) -> Codebook:
    return Codebook((Category("c", "claim", "Claim", "#000", "", "", 0),), attributes)


def test_typed_input_becomes_a_value():
    codebook = _codebook()
    number = _attribute(AttributeType.NUMBER, label="Weight")
    assert attribute_type("number").parse(number, "2,5", codebook) == Value("a", number=2.5)
    assert attribute_type("number").parse(number, "  ", codebook) == Value("a")
    for bad in ("lots", "nan", "inf"):
        with pytest.raises(ValueError, match=f"“Weight”: “{bad}” is not a number"):
            attribute_type("number").parse(number, bad, codebook)
    yes_no = _attribute(AttributeType.BOOLEAN)
    assert attribute_type("boolean").parse(yes_no, "Yes", codebook) == Value("a", number=1.0)
    assert attribute_type("boolean").parse(yes_no, "0", codebook) == Value("a", number=0.0)
    choices = (Choice("x", "a", "Security", 3, "", 0),)
    choice = _attribute(AttributeType.CHOICE, choices=choices)
    assert attribute_type("choice").parse(choice, "security", codebook) == Value("a", choice_id="x")
    with pytest.raises(ValueError, match="has no choice “peace”"):
        attribute_type("choice").parse(choice, "peace", codebook)
    assert attribute_type("text").parse(_attribute(AttributeType.TEXT), " a b ", codebook) == (
        Value("a", text="a b")
    )


def test_export_columns_and_dictionary_types():
    what = "Claim: Attr"
    types = {
        name: [(p.suffix, p.type) for p in kind.columns(_attribute(AttributeType(name)), what)]
        for name, kind in ATTRIBUTE_TYPES.items()
    }
    assert types == {
        "choice": [("", STRING), ("_code", NUMBER)],
        "text": [("", STRING)],
        "number": [("", NUMBER)],
        "boolean": [("", INTEGER)],
        "reference": [("_id", "id"), ("_kind", STRING), ("", STRING), ("_actor", STRING)],
        "date": [("", DATE)],
    }
    registry_free = _attribute(AttributeType.REFERENCE, targets=("category:claim",))
    assert len(attribute_type("reference").columns(registry_free, what)) == 3
