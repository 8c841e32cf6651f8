"""Codebook JSON: export, merge by key, refusal of bad files with nothing changed."""

import json
import os

import pytest

from annotator.core.resources import resources_dir
from annotator.importing.codebook_json import (
    ImportSummary,
    codebook_document,
    export_codebook,
    import_codebook,
    merged_order,
)
from annotator.store.project import create_project


def signature(project):
    """The codebook by keys, labels and codes: comparable across projects."""
    codebook = project.codebook()
    return [
        (
            c.key,
            c.label,
            c.colour,
            c.hotkey,
            c.description,
            [
                (
                    a.key,
                    a.label,
                    a.type,
                    a.required,
                    a.description,
                    a.targets,
                    [(ch.label, ch.code, ch.colour) for ch in a.choices],
                )
                for a in codebook.attributes_of(c.key)
            ],
        )
        for c in codebook.categories
    ]


def exact_state(project):
    """Everything including ids and positions, to show that nothing changed."""
    return project.codebook()


def _write(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def other(tmp_path):
    proj = create_project(tmp_path / "other.annotator")
    yield proj
    proj.close()


def _normalised(document):
    """The shipped file leaves some fields out; fill in the defaults."""
    return [
        {
            **{k: c.get(k, "") for k in ("key", "label", "colour", "hotkey", "description")},
            "attributes": [
                {
                    "key": a["key"],
                    "label": a["label"],
                    "type": a["type"],
                    "required": a.get("required", False),
                    "description": a.get("description", ""),
                    "targets": a.get("targets", []),
                    "choices": [
                        {
                            "label": ch["label"],
                            "code": ch.get("code"),
                            "colour": ch.get("colour", ""),
                        }
                        for ch in a.get("choices", [])
                    ],
                }
                for a in c.get("attributes", [])
            ],
        }
        for c in document["categories"]
    ]


def test_export_has_the_shape_of_the_shipped_codebook(project, tmp_path):
    (tmp_path / "share").mkdir()
    path = export_codebook(project, tmp_path / "share" / "codebook.json")
    written = json.loads(path.read_text(encoding="utf-8"))
    shipped = json.loads((resources_dir() / "codebook.json").read_text(encoding="utf-8"))
    assert (written["format"], written["version"]) == ("annotator-codebook", 1)
    assert _normalised(written) == _normalised(shipped)
    polarity = written["categories"][2]["attributes"][0]
    assert [c["code"] for c in polarity["choices"]] == [1, -1, 0, None]
    assert os.listdir(tmp_path / "share") == ["codebook.json"]


def _customise(project):
    codebook = project.codebook()
    project.add_choice(
        codebook.attribute("claim", "issue").id, "security", code=3, colour="#ff0000"
    )
    project.add_choice(codebook.attribute("claim", "issue").id, "economy 💶", code=2.5)
    project.update_category(
        project.category("claim").id,
        label="Claim “quoted”",
        hotkey="c",
        description="Line one\nline two",
    )
    polarity = codebook.attribute("stance", "polarity")
    project.reorder("choices", [c.id for c in reversed(polarity.choices)])
    project.update_attribute(
        codebook.attribute("claim", "addressee").id, required=True, targets=["registry"]
    )
    frame = project.add_category("Frame", "#aa00aa", hotkey="4", description="How it is framed")
    project.add_attribute(frame.id, "Note", "text")
    project.add_attribute(frame.id, "Weight", "number", required=True)
    project.add_attribute(frame.id, "Salient", "boolean")
    project.add_attribute(frame.id, "About", "reference", targets=["category:claim"])
    project.add_attribute(
        frame.id, "Kind", "choice", choices=[{"label": "economic", "code": 1}, {"label": "moral"}]
    )
    project.reorder("categories", [c.id for c in reversed(project.categories())])


def test_round_trip_into_a_fresh_project(project, other, tmp_path):
    _customise(project)
    path = export_codebook(project, tmp_path / "codebook.json")
    summary = import_codebook(other, path)
    assert signature(other) == signature(project)
    assert summary == ImportSummary(
        categories_added=1,
        categories_updated=1,
        attributes_added=5,
        attributes_updated=1,
        choices_added=4,
        choices_updated=0,
        reordered=True,
    )
    assert "added 1 category, 5 attributes, 4 choices" in str(summary).lower()
    again = import_codebook(other, path)
    assert not again.changed
    assert str(again) == "The codebook was already up to date."
    assert signature(other) == signature(project)


def test_merge_adds_a_new_choice_without_duplicating(project, other, tmp_path):
    issue = project.codebook().attribute("claim", "issue")
    project.add_choice(issue.id, "security", code=3)
    other_issue = other.codebook().attribute("claim", "issue")
    kept = other.add_choice(other_issue.id, "security", code=7)
    local = other.add_choice(other_issue.id, "local only")
    project.add_choice(issue.id, "economy", code=2)
    summary = import_codebook(other, export_codebook(project, tmp_path / "c.json"))
    assert (summary.choices_added, summary.choices_updated) == (1, 1)
    assert (summary.categories_added, summary.attributes_added) == (0, 0)
    choices = other.codebook().attribute("claim", "issue").choices
    assert [(c.label, c.code) for c in choices] == [
        ("security", 3),
        ("local only", None),
        ("economy", 2),
    ]
    assert choices[0].id == kept.id and choices[1].id == local.id  # updated, never deleted


def test_merge_never_deletes(project, other, tmp_path):
    extra = other.add_category("Frame", "#000000")
    other.add_attribute(other.category("claim").id, "Scope", "text")
    before = {c.key for c in other.categories()}
    import_codebook(other, export_codebook(project, tmp_path / "c.json"))
    assert {c.key for c in other.categories()} == before
    assert other.category("frame").id == extra.id
    assert other.codebook().attribute("claim", "scope") is not None


def test_partial_file_updates_only_what_it_names(project, tmp_path):
    before = signature(project)
    path = _write(
        tmp_path / "c.json",
        {
            "format": "annotator-codebook",
            "version": 1,
            "categories": [
                {
                    "key": "claim",
                    "attributes": [
                        {"key": "issue", "type": "choice", "choices": [{"label": "health"}]}
                    ],
                }
            ],
        },
    )
    summary = import_codebook(project, path)
    assert (summary.choices_added, summary.categories_updated, summary.reordered) == (1, 0, False)
    after = signature(project)
    assert [c[0] for c in after] == ["actor", "claim", "stance"]
    assert after[1][5][1][6] == [("health", None, "")]
    assert after[0] == before[0] and after[2] == before[2]


BAD_FILES = [
    (b"{not json", "not valid JSON"),
    ("\u00ff".encode("latin-1"), "not UTF-8"),
    (b"[]", "not an Annotator codebook"),
    (b'{"format": "something-else", "version": 1, "categories": []}', "not an Annotator codebook"),
    (b'{"format": "annotator-codebook", "version": 2, "categories": []}', "newer version"),
    (b'{"format": "annotator-codebook", "version": "1", "categories": []}', "version"),
    (b'{"format": "annotator-codebook", "version": 1, "categories": {}}', "must be a list"),
]


def _one_attribute(**attribute):
    return {
        "format": "annotator-codebook",
        "version": 1,
        "categories": [
            {"key": "frame", "label": "Frame", "colour": "#000000"},
            {
                "key": "claim",
                "attributes": [
                    {"key": "issue", "type": "choice", "choices": [{"label": "new", "code": 1}]}
                ],
            },
            {"key": "frame2", "attributes": [attribute]},
        ],
    }


BAD_CONTENT = [
    (_one_attribute(key="x", type="colour"), "“type” must be one of"),
    (_one_attribute(key="Bad Key", type="text"), "“key” must be lower-case"),
    (_one_attribute(key="x", type="text", required="yes"), "true or false"),
    (_one_attribute(key="x", type="reference", targets=["everything"]), "a target must be"),
    (
        _one_attribute(key="x", type="choice", choices=[{"label": "a", "code": True}]),
        "must be a number or null",
    ),
    (
        _one_attribute(key="x", type="choice", choices=[{"label": "a"}, {"label": " a "}]),
        "appears twice",
    ),
    (_one_attribute(key="x", type="choice", choices=[{"label": "  "}]), "must not be empty"),
    (_one_attribute(key="x", type="text", label=3), "must be text"),
    (
        {
            "format": "annotator-codebook",
            "version": 1,
            "categories": [{"key": "claim", "attributes": [{"key": "issue", "type": "text"}]}],
        },
        "its type cannot change",
    ),
    (
        {"format": "annotator-codebook", "version": 1, "categories": [{"key": "a"}, {"key": "a"}]},
        "appears twice",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_bad_files_are_refused_and_change_nothing(project, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = exact_state(project)
    with pytest.raises(ValueError, match=message):
        import_codebook(project, path)
    assert exact_state(project) == before


@pytest.mark.parametrize(("content", "message"), BAD_CONTENT)
def test_invalid_content_is_refused_before_any_change(project, tmp_path, content, message):
    path = _write(tmp_path / "bad.json", content)
    before = exact_state(project)
    with pytest.raises(ValueError, match=message):
        import_codebook(project, path)
    assert exact_state(project) == before


def test_missing_file_is_refused(project, tmp_path):
    with pytest.raises(ValueError, match="cannot be read"):
        import_codebook(project, tmp_path / "missing.json")


def test_failure_during_the_merge_rolls_everything_back(project, other, tmp_path, monkeypatch):
    _customise(project)
    path = export_codebook(project, tmp_path / "c.json")
    before = exact_state(other)

    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(other, "add_choice", broken)
    with pytest.raises(OSError):
        import_codebook(other, path)
    assert exact_state(other) == before


def test_failed_export_keeps_the_old_file(project, tmp_path, monkeypatch):
    (tmp_path / "share").mkdir()
    path = tmp_path / "share" / "c.json"
    path.write_text("old", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        export_codebook(project, path)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path / "share") == ["c.json"]


def test_export_is_deterministic(project, tmp_path):
    first = export_codebook(project, tmp_path / "a.json").read_bytes()
    assert export_codebook(project, tmp_path / "b.json").read_bytes() == first
    assert codebook_document(project.codebook())["categories"][0]["key"] == "actor"


@pytest.mark.parametrize(
    ("current", "wanted", "expected"),
    [
        (["a", "b", "c"], ["c", "b", "a"], ["c", "b", "a"]),
        (["x", "a", "y", "b"], ["b", "a"], ["x", "b", "a", "y"]),
        (["a", "b", "x", "n"], ["a", "n", "b"], ["a", "n", "b", "x"]),
    ],
)
def test_merged_order(current, wanted, expected):
    assert merged_order(current, wanted) == expected


def test_a_date_attribute_round_trips(project, other, tmp_path):
    claim = project.category("claim")
    project.add_attribute(claim.id, "Signed", "date", required=True, description="When signed")
    path = export_codebook(project, tmp_path / "codebook.json")
    (signed,) = [
        a
        for c in json.loads(path.read_text(encoding="utf-8"))["categories"]
        for a in c.get("attributes", [])
        if a["key"] == "signed"
    ]
    assert signed["type"] == "date"
    import_codebook(other, path)
    assert signature(other) == signature(project)
    assert other.codebook().attribute("claim", "signed").type == "date"
