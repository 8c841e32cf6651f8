"""Types, meanings and value labels of the columns of the main export files.

The CSV writer, the data dictionary and the Stata, SPSS and Excel writers all
read these through :class:`~annotator.exporting.model.ExportTable`.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.codebook import Attribute, Codebook
from annotator.core.model import Variable
from annotator.core.types import ATTRIBUTE_TYPES, attribute_type, variable_type
from annotator.core.types.attributes import REFERENCE_KINDS
from annotator.core.types.columns import YES_NO, ColumnPlan, Labels, coded_choices
from annotator.exporting.model import DATE, DATETIME, ID, INTEGER, NUMBER, STRING, Column

# Attribute types that every data dictionary lists for codebook.csv; a type added
# later is listed where the codebook uses it, so older projects' exports stay as they were.
FIRST_ATTRIBUTE_TYPES = ("choice", "text", "number", "boolean", "reference")


def choice_labels(attribute: Attribute | None) -> tuple[Labels, tuple[str, ...]]:
    """(code, label) pairs of the coded choices, and the labels without a code."""
    if attribute is None:
        return (), ()
    return coded_choices(attribute.choices)


def choice_pair(label: str, code: str, attribute: Attribute | None, meaning: str) -> list[Column]:
    """A choice's label column (with value labels) and its code column."""
    coded, uncoded = choice_labels(attribute)
    return [
        Column(label, STRING, f"{meaning} (label)", coded, code, uncoded),
        Column(code, NUMBER, f"{meaning} (numeric code; empty if the choice has none)", coded),
    ]


def _column(plan: ColumnPlan, name: str, names: Sequence[str] = ()) -> Column:
    code = names[plan.code_column] if plan.code_column is not None else ""
    return Column(name, plan.type, plan.description, plan.value_labels, code, plan.allowed)


def attribute_specs(attribute: Attribute, category: str, names: Sequence[str]) -> list[Column]:
    """The typed columns of one attribute in annotations.csv (``names`` as laid out)."""
    plans = attribute_type(attribute.type).columns(attribute, f"{category}: {attribute.label}")
    return [_column(plan, name, names) for plan, name in zip(plans, names, strict=True)]


def variable_spec(variable: Variable, name: str) -> Column:
    """The typed column of one document variable in documents.csv."""
    what = f"document variable: {variable.label}"
    return _column(variable_type(variable.type).column(variable, what), name)


DOCUMENT_SPECS = [
    Column("document_id", ID, "UUID of the document; joins annotations.csv"),
    Column("title", STRING, "document title"),
    Column("source", STRING, "source (outlet)"),
    Column("author", STRING, "author"),
    Column("date", DATE, "publication date YYYY-MM-DD; empty where unknown"),
    Column("file_name", STRING, "the file the text was imported from"),
    Column("encoding", STRING, "text encoding the file was read with"),
    Column("status", STRING, "coding status", allowed=("todo", "in_progress", "done")),
    Column("char_count", INTEGER, "length of the text in Unicode code points"),
    Column("sha256", STRING, "SHA-256 of the text's UTF-8 bytes"),
    Column("imported_at", DATETIME, "when the document was imported (UTC)"),
    Column("annotation_count", INTEGER, "number of annotations exported for the document"),
    Column("text", STRING, "the full canonical text; offsets index into it"),
]

ANNOTATION_SPECS = [
    Column("annotation_id", ID, "UUID of the annotation"),
    Column("document_id", ID, "the document; joins documents.csv"),
    Column("document_title", STRING, "the document's title"),
    Column("coder", STRING, "the coder who made the annotation"),
    Column("category", STRING, "category key (actor, claim, stance or a user category)"),
    Column("start", INTEGER, "start of [start, end) in code points (0-based)"),
    Column("end", INTEGER, "end of [start, end) in code points (exclusive)"),
    Column("quote", STRING, "the coded text, exactly text[start:end]"),
    Column("memo", STRING, "the coder's note"),
    Column("created_at", DATETIME, "when the annotation was created (UTC)"),
    Column("updated_at", DATETIME, "when the annotation was last changed (UTC)"),
    Column("incomplete", INTEGER, "1 if a required attribute has no value", YES_NO),
]


def claim_specs(codebook: Codebook) -> list[Column]:
    issue = codebook.attribute("claim", "issue")
    polarity = codebook.attribute("stance", "polarity")
    kinds = ("annotation", "actor")
    return [
        Column("claim_id", ID, "UUID of the claim annotation; joins annotations.csv"),
        Column("document_id", ID, "the document; joins documents.csv"),
        Column("document_title", STRING, "the document's title"),
        Column("document_source", STRING, "the document's source"),
        Column("document_date", DATE, "the document's date"),
        Column("claim_start", INTEGER, "start of the claim in code points"),
        Column("claim_end", INTEGER, "end of the claim in code points (exclusive)"),
        Column("claim_quote", STRING, "the claim's text"),
        Column("coder", STRING, "who coded the claim"),
        Column("claimant_id", ID, "actor mention's annotation id or registry actor's id"),
        Column("claimant_kind", STRING, "what claimant_id points to", allowed=kinds),
        Column("claimant_mention", STRING, "quote of the claimant mention"),
        Column("claimant_actor_id", ID, "the claimant's registry actor; joins actors.csv"),
        Column("claimant_actor", STRING, "the claimant's registry actor name"),
        Column("claimant_actor_type", STRING, "the registry actor's type"),
        Column("claimant_actor_country", STRING, "the registry actor's country"),
        *choice_pair("issue", "issue_code", issue, "the claim's issue"),
        Column("addressee", STRING, "the addressee: mention quote or actor name"),
        Column("addressee_actor", STRING, "the addressee's registry actor name"),
        Column("addressee_actor_id", ID, "the addressee's registry actor; joins actors.csv"),
        Column("stance_id", ID, "the linked stance annotation; joins annotations.csv"),
        Column("stance_quote", STRING, "the stance's text"),
        Column("stance_holder", STRING, "the holder: mention quote or actor name"),
        Column("stance_holder_actor", STRING, "the holder's registry actor name"),
        Column("stance_holder_actor_id", ID, "the holder's registry actor; joins actors.csv"),
        *choice_pair("polarity", "polarity_code", polarity, "the stance's polarity"),
    ]


def statement_specs(codebook: Codebook) -> list[Column]:
    coded, uncoded = choice_labels(codebook.attribute("stance", "polarity"))
    return [
        Column("statement_id", ID, "the stance's (or unlinked claim's) annotation id"),
        Column("document_id", ID, "the document; joins documents.csv"),
        Column("document_title", STRING, "the document's title"),
        Column("date", DATE, "the document's date"),
        Column("coder", STRING, "who coded the statement"),
        Column("actor", STRING, "holder's (claimant's) registry name, else mention quote"),
        Column("actor_id", ID, "that registry actor; joins actors.csv"),
        Column("concept", STRING, "issue label, claim quote or target actor name"),
        Column("agreement", NUMBER, "polarity code (1 support, -1 oppose, 0 neutral)", coded),
        Column("polarity", STRING, "polarity label", coded, "agreement", uncoded),
        Column("claim_id", ID, "the claim the stance targets; joins annotations.csv"),
        Column(
            "target_kind",
            STRING,
            "what the stance's target is: an annotation (a claim or actor mention), a "
            "registry actor or a choice (an issue); empty for a claim without a stance",
            allowed=REFERENCE_KINDS,
        ),
    ]


ACTOR_SPECS = [
    Column("actor_id", ID, "UUID of the registry actor; joins *_actor_id columns"),
    Column("name", STRING, "canonical name"),
    Column("type", STRING, "actor type as entered in the registry"),
    Column("country", STRING, "country as entered in the registry"),
    Column("aliases", STRING, "other names separated by ' | '"),
    Column("notes", STRING, "registry notes"),
    Column("mention_count", INTEGER, "coded values pointing to the actor directly"),
]


def codebook_specs(codebook: Codebook) -> list[Column]:
    """The columns of codebook.csv."""
    used = {str(a.type) for a in codebook.attributes}
    types = [t for t in ATTRIBUTE_TYPES if t in FIRST_ATTRIBUTE_TYPES or t in used]
    return [
        Column("category_key", STRING, "category key, as in annotations.csv"),
        Column("category_label", STRING, "category label"),
        Column("category_colour", STRING, "highlight colour #rrggbb"),
        Column("category_hotkey", STRING, "hotkey"),
        Column("attribute_key", STRING, "attribute key (CATEGORY.ATTRIBUTE columns)"),
        Column("attribute_label", STRING, "attribute label"),
        Column("attribute_type", STRING, "attribute type", allowed=tuple(types)),
        Column("required", INTEGER, "1 if every annotation of the category needs a value", YES_NO),
        Column("targets", STRING, "what a reference may point to, separated by ' | '"),
        Column("choice_label", STRING, "an allowed value"),
        Column("choice_code", NUMBER, "its numeric code (empty if none)"),
        Column("choice_id", ID, "UUID of the choice; `*_id` cells whose `*_kind` is `choice`"),
    ]
