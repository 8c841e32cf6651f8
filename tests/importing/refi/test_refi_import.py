"""REFI-QDA projects and codebooks in the shapes other tools write, imported into
a new project and read back from the project file."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.importing.refi import import_refi
from annotator.store.project import open_project
from tests.importing.refi.refi_files import (
    CODE_ACTOR,
    CODE_CLAIM,
    CODE_GOV,
    CODE_LEFT,
    USER_B,
    VAR_OUTLET,
    VAR_PAGES,
    Selection,
    Source,
    codebook_xml,
    make_qdpx,
    project_xml,
    write_qdpx,
)

CRLF_TEXT = "Seoul said no.\r\nTokyo agreed.\r\nBeijing objected."


def at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def spans(path: Path) -> list[tuple[str, str, str, dict[str, str]]]:
    """(quote, category, coder, {attribute key: choice label}) of every annotation."""
    with open_project(path, read_only=True) as project:
        codebook = project.codebook()
        labels = {c.id: c.label for a in codebook.attributes for c in a.choices}
        keys = {a.id: a.key for a in codebook.attributes}
        result = []
        for a in project.annotations():
            values = {
                keys[v.attribute_id]: labels[v.choice_id]
                for v in project.values(a.id).values()
                if v.choice_id
            }
            result.append((a.quote, a.category, a.coder, values))
        return sorted(result)


def test_maxqda_shape_crlf_cases_and_nested_choices(tmp_path: Path) -> None:
    source = Source(
        "Interview 1",
        CRLF_TEXT,
        [
            Selection(*at(CRLF_TEXT, "Tokyo"), (CODE_GOV,), memo="a memo"),
            Selection(*at(CRLF_TEXT, "Beijing"), (CODE_LEFT, CODE_CLAIM), user=USER_B),
            Selection(*at(CRLF_TEXT, "Seoul"), ()),  # MAXQDA: a memo, no code
            Selection(at(CRLF_TEXT, "objected.")[0], len(CRLF_TEXT) + 1, (CODE_ACTOR,)),
            Selection(10, 500, (CODE_ACTOR,)),
        ],
        variables={VAR_OUTLET: "Hankyoreh", VAR_PAGES: "12"},
    )
    qdpx = make_qdpx(tmp_path / "maxqda.qdpx", [source], variables_in_cases=True)
    report = import_refi(qdpx, tmp_path / "new.annotator")
    assert spans(tmp_path / "new.annotator") == [
        ("Beijing", "actor", "Ben", {"code": "Party › Left"}),
        ("Beijing", "claim", "Ben", {}),
        ("Tokyo", "actor", "Ana", {"code": "Government"}),
        ("objected.", "actor", "Ana", {}),
    ]
    assert report.adjusted == 1
    assert report.skipped == {
        "text selections without a code (a memo or note only)": 1,
        "text selections outside their source's text": 1,
    }
    assert (report.documents, report.annotations, report.categories, report.choices) == (1, 4, 2, 3)
    assert sorted(report.coders) == ["Ana", "Ben"]
    with open_project(tmp_path / "new.annotator", read_only=True) as project:
        (document,) = project.documents()
        assert project.document_text(document.id) == CRLF_TEXT.replace("\r\n", "\n")
        assert document.title == "Interview 1"
        assert project.document_variables(document.id) == {"outlet": "Hankyoreh", "pages": "12"}
        memos = [a.memo for a in project.annotations() if a.memo]
        assert memos == ["a memo"]
        categories = {c.key: c for c in project.categories()}
        assert list(categories) == ["actor", "claim"]  # the default codebook is gone
        assert categories["actor"].colour == "#ff0000"
        assert [c.hotkey for c in categories.values()] == ["1", "2"]
        assert categories["actor"].description == "Who speaks"
    text = "\n".join(report.lines())
    assert "1 selection ends one character past the text" in text
    assert "text selections outside their source's text: 1" in text


def test_atlas_shape_bom_and_crlf_counted_as_one(tmp_path: Path) -> None:
    canonical = CRLF_TEXT.replace("\r\n", "\n")
    source = Source("doc", CRLF_TEXT, [Selection(*at(canonical, "Beijing"), (CODE_CLAIM,))])
    qde, members = project_xml([source], origin="ATLAS.ti for Windows 23.2.3", folder="Sources")
    qde_bytes = b"\xef\xbb\xbf" + qde.replace("\n", "\r\n").encode("utf-8")
    write_qdpx(tmp_path / "atlas.qdpx", qde_bytes, members)
    import_refi(tmp_path / "atlas.qdpx", tmp_path / "new.annotator")
    assert spans(tmp_path / "new.annotator") == [("Beijing", "claim", "Ana", {})]


def test_nested_codes_as_categories(tmp_path: Path) -> None:
    text = "Kim met Putin."
    source = Source("s", text, [Selection(*at(text, "Putin"), (CODE_LEFT,))], inline=True)
    make_qdpx(tmp_path / "p.qdpx", [source])
    report = import_refi(tmp_path / "p.qdpx", tmp_path / "new.annotator", nested="categories")
    assert report.categories == 5 and report.choices == 0
    with open_project(tmp_path / "new.annotator", read_only=True) as project:
        labels = [c.label for c in project.categories()]
        assert labels == ["Actor", "Government", "Party", "Left", "Claim"]
        left = next(c for c in project.categories() if c.label == "Left")
        assert left.description.startswith("Sub-code of Actor › Party")
        (annotation,) = project.annotations()
        assert (annotation.quote, annotation.category) == ("Putin", left.key)


def test_nvivo_shape_notes_descriptions_and_inline_text(tmp_path: Path) -> None:
    note = "90000000-0000-0000-0000-000000000001"
    text = "Moon said peace is near."
    source = Source(
        "Speech",
        text,
        [Selection(*at(text, "peace"), (CODE_CLAIM,), notes=(note,))],
        description="Speech of 2018",
        inline=True,
    )
    make_qdpx(tmp_path / "n.qdpx", [source], origin="NVivo 14", notes={note: "a note"})
    report = import_refi(tmp_path / "n.qdpx", tmp_path / "new.annotator")
    with open_project(tmp_path / "new.annotator", read_only=True) as project:
        (annotation,) = project.annotations()
        assert (annotation.quote, annotation.memo) == ("peace", "a note")
        (document,) = project.documents()
        assert project.document_variables(document.id) == {"refi_memo": "Speech of 2018"}
    assert report.memos == 1


def test_codebook_file_alone(tmp_path: Path) -> None:
    qdc = tmp_path / "codes.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">'
        f"{codebook_xml()}</CodeBook>",
        encoding="utf-8",
    )
    report = import_refi(qdc, tmp_path / "new.annotator")
    assert (report.categories, report.choices, report.documents) == (2, 3, 0)
    with open_project(tmp_path / "new.annotator", read_only=True) as project:
        actor = project.codebook().attribute("actor", "code")
        assert actor is not None
        assert [c.label for c in actor.choices] == ["Government", "Party", "Party › Left"]
        assert [c.colour for c in actor.choices] == ["", "", "#00ff00"]


def test_a_codebook_named_like_a_project_is_read_as_one(tmp_path: Path) -> None:
    wrong = tmp_path / "codes.qdpx"
    wrong.write_text(
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0">{codebook_xml()}</CodeBook>', "utf-8"
    )
    assert import_refi(wrong, tmp_path / "new.annotator").categories == 2


def test_relative_source_beside_the_file_and_one_outside(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_bytes("\ufeffAbe spoke.".encode())
    qde, _ = project_xml([Source("inline", "Kim spoke.", inline=True)])
    qde = qde.replace(
        "</Sources>",
        '<TextSource guid="E1000000-0000-0000-0000-000000000001" name="rel" '
        'plainTextPath="relative://texts/a.txt"/>'
        '<TextSource guid="E1000000-0000-0000-0000-000000000002" name="out" '
        'plainTextPath="relative://../secret.txt"/>'
        '<TextSource guid="E1000000-0000-0000-0000-000000000003" name="abs" '
        'plainTextPath="absolute:///etc/hostname.txt"/>'
        '<PictureSource guid="E1000000-0000-0000-0000-000000000004" path="internal://p.png"/>'
        "</Sources>",
    )
    write_qdpx(tmp_path / "r.qdpx", qde)
    report = import_refi(tmp_path / "r.qdpx", tmp_path / "new.annotator")
    assert report.documents == 2
    assert report.skipped["sources without a readable plain text"] == 2
    assert report.skipped["picture sources"] == 1
    with open_project(tmp_path / "new.annotator", read_only=True) as project:
        texts = sorted(project.document_text(d.id) for d in project.documents())
    assert texts == ["Abe spoke.", "Kim spoke."]


@pytest.mark.parametrize("value", ["twelve", "12"])
def test_a_value_that_does_not_fit_its_type_is_reported(tmp_path: Path, value: str) -> None:
    source = Source("s", "Some text.", variables={VAR_PAGES: value}, inline=True)
    report = import_refi(make_qdpx(tmp_path / "v.qdpx", [source]), tmp_path / "new.annotator")
    bad = report.skipped.get("variable values that do not fit their type", 0)
    assert bad == (value == "twelve")


def test_a_user_the_file_does_not_list_is_a_coder_of_their_own(tmp_path: Path) -> None:
    """Not the project's creator (two people's codings would become one coder's and
    their agreement perfect): the coder is named by the GUID, and the report says so."""
    stranger = "33333333-3333-3333-3333-333333333333"
    text = "Putin met Kim in Pyongyang."
    path = make_qdpx(
        tmp_path / "p.qdpx",
        [
            Source(
                "s",
                text,
                [
                    Selection(*at(text, "Putin"), (CODE_ACTOR,)),
                    Selection(*at(text, "Kim"), (CODE_ACTOR,), user=stranger),
                ],
            )
        ],
    )
    report = import_refi(path, tmp_path / "p.annotator")
    assert [(quote, coder) for quote, _c, coder, _v in spans(tmp_path / "p.annotator")] == [
        ("Kim", f"user {stranger}"),
        ("Putin", "Ana"),
    ]
    assert (
        f"Selections by user {stranger}, whom the file does not list, are coded as"
        f" “user {stranger}”."
    ) in report.lines()
