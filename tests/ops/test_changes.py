"""The change description: ids per kind, merged with ``|``, records alongside."""

import pytest

from annotator.core.model import Annotation
from annotator.ops.changes import KINDS, NOTHING, Changes, Ids, added, changed, removed


def _annotation(ident: str) -> Annotation:
    return Annotation(ident, "d", "c", "k", 0, 1, "x", "", "t", "t")


def test_one_kind_at_a_time_and_nothing_else():
    changes = added("annotation", ["a1", "a2"])
    assert changes.annotation == Ids(added=frozenset({"a1", "a2"}))
    assert changes.kinds() == ("annotation",)
    assert all(not changes.ids(kind) for kind in KINDS if kind != "annotation")
    assert changes and not NOTHING


def test_merging_unites_ids_per_kind():
    merged = (
        added("annotation", ["a1"])
        | removed("annotation", ["a2"])
        | changed("values", ["a3"])
        | changed("values", ["a4"])
        | changed("document", ["d1"])
    )
    assert merged.annotation == Ids(added=frozenset({"a1"}), removed=frozenset({"a2"}))
    assert merged.values.changed == {"a3", "a4"}
    assert merged.annotation.all == {"a1", "a2"}
    assert merged.kinds() == ("annotation", "values", "document")
    assert not merged.codebook
    assert (merged | changed("choice", ["c1"])).codebook


def test_records_ride_along_but_do_not_compare():
    plain = added("annotation", ["a1"])
    carrying = plain.with_records(annotations=[_annotation("a1")])
    assert carrying == plain
    assert set(carrying.annotations) == {"a1"} and plain.annotations == {}
    merged = carrying | changed("document", ["d"]).with_records(annotations=[_annotation("a2")])
    assert set(merged.annotations) == {"a1", "a2"}
    with pytest.raises(TypeError):
        merged.annotations["a3"] = _annotation("a3")  # read-only


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        added("coder", ["x"])  # type: ignore[arg-type]


def test_changes_are_frozen():
    with pytest.raises(AttributeError):
        Changes().annotation = Ids()  # type: ignore[misc]
