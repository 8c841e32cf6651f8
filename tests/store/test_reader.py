"""A worker's second connection to a project the window has open: it reads what
the window saved, refuses to write, and the file is not checked again."""

from __future__ import annotations

import pytest

from annotator.store.errors import ProjectError
from annotator.store.reader import open_reader


def test_a_reader_sees_what_was_saved_and_writes_nothing(project):
    doc = project.import_text("Putin said the treaty guarantees security.", title="One")
    project.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
    reader = open_reader(project.path)
    try:
        assert reader.read_only
        assert [a.quote for a in reader.annotations(doc.id)] == ["Putin"]
        with pytest.raises(ProjectError):
            reader.add_actor("Seoul")
        project.add_annotation(doc.id, 11, 17, "claim", coder="Ana")
        assert len(reader.annotations(doc.id)) == 2  # a new read sees the new row
    finally:
        reader.close()
    assert project.actors() == []
