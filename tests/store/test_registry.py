import pytest

from annotator.core.codebook import Value


def _mention(project, doc, needle, actor_id, occurrence=0):
    text = project.document_text(doc.id)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    attr = project.codebook().attribute("actor", "actor")
    return project.add_annotation(
        doc.id,
        start,
        start + len(needle),
        "actor",
        coder="Ana",
        values=[Value(attr.id, actor_id=actor_id)],
    )


@pytest.fixture
def registry(project):
    doc = project.import_text(
        "Putin met Kim. Vladimir Putin smiled; President Putin left. putinism is not Putin.",
        title="T",
    )
    return project, doc


def test_add_update_and_counts(registry):
    project, doc = registry
    putin = project.add_actor(
        "Vladimir  Putin",
        type="person",
        country="RU",
        aliases=["Putin", "putin", "Vladimir Putin", " "],
    )
    assert putin.name == "Vladimir Putin"
    assert putin.aliases == ("Putin",)
    _mention(project, doc, "Putin", putin.id)
    renamed = project.update_actor(putin.id, name="Vladimir V. Putin")
    assert renamed.mention_count == 1
    assert renamed.aliases == ("Putin",)


def test_match_actors_exact_first(registry):
    project, _ = registry
    a = project.add_actor("Putin administration")
    b = project.add_actor("Vladimir Putin", aliases=["Putin"])
    assert [x.id for x in project.match_actors("putin")] == [b.id, a.id]
    assert project.match_actors("Kim") == []


def test_merge_and_unmerge(registry):
    project, doc = registry
    a = project.add_actor("Vladimir Putin", aliases=["V. Putin"])
    b = project.add_actor("Putin")
    _mention(project, doc, "Vladimir Putin", a.id)
    m = _mention(project, doc, "Putin", b.id)
    merge = project.merge_actors(a.id, b.id)
    (only,) = project.actors()
    assert only.id == a.id and only.mention_count == 2
    assert only.aliases == ("V. Putin", "Putin")
    attr = project.codebook().attribute("actor", "actor")
    assert project.values(m.id)[attr.id].actor_id == a.id
    project.unmerge(merge)
    assert {x.name: x.mention_count for x in project.actors()} == {"Vladimir Putin": 1, "Putin": 1}
    assert project.values(m.id)[attr.id].actor_id == b.id
    with pytest.raises(ValueError):
        project.merge_actors(a.id, a.id)


def test_find_mentions_whole_words_unannotated(registry):
    project, doc = registry
    putin = project.add_actor("Vladimir Putin", aliases=["Putin"])
    _mention(project, doc, "Putin", putin.id)  # the first one is already coded
    found = project.find_mentions(putin.id, doc.id)
    assert [m.quote for m in found] == ["Vladimir Putin", "Putin", "Putin"]
    text = project.document_text(doc.id)
    assert all(text[m.start : m.end] == m.quote for m in found)
    other = project.import_text("PUTIN again.", title="U")
    assert [m.document_id for m in project.find_mentions(putin.id)][-1] == other.id


def test_delete_actor_clears_references(registry):
    project, doc = registry
    putin = project.add_actor("Putin")
    m = _mention(project, doc, "Putin", putin.id)
    assert project.delete_actor(putin.id) == 1
    assert project.values(m.id) == {}


def test_actor_references_lists_the_annotations_pointing_to_it(registry):
    project, doc = registry
    putin = project.add_actor("Putin")
    m = _mention(project, doc, "Putin", putin.id)
    assert project.actor_references(putin.id) == [m.id]
    assert project.actor_references(project.add_actor("Kim").id) == []


def test_unmerge_keeps_aliases_added_after_the_merge(registry):
    project, _ = registry
    kept = project.add_actor("Government", aliases=["Gov"])
    dropped = project.add_actor("Cabinet")
    merge = project.merge_actors(kept.id, dropped.id)
    project.update_actor(kept.id, aliases=[*project.actor(kept.id).aliases, "The Executive"])
    project.unmerge(merge)
    assert project.actor(kept.id).aliases == ("Gov", "The Executive")
    assert project.actor(dropped.id).name == "Cabinet"
