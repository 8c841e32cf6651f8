"""Every released schema version upgrades to the current one, data intact."""

import shutil
from pathlib import Path

import pytest

from annotator.store.project import open_project
from annotator.store.schema import SCHEMA_VERSION

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_old_schema_upgrades_with_its_data(tmp_path, version):
    path = tmp_path / f"schema_{version}.annotator"
    shutil.copy(DATA / f"schema_{version}.annotator", path)
    with open_project(path) as project:
        assert project.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        (ann,) = project.annotations()
        assert (ann.quote, ann.coder, ann.category, ann.memo) == ("Putin", "Ana", "actor", "memo")
        codebook = project.codebook()
        assert [a.key for a in codebook.attributes_of("stance")] == ["polarity", "holder", "target"]
        polarity = codebook.attribute("stance", "polarity")
        assert [(c.label, c.code) for c in polarity.choices] == [
            ("support", 1),
            ("oppose", -1),
            ("neutral", 0),
            ("ambivalent", None),
        ]
        assert project.document(ann.document_id).status.value == "in_progress"
        if version >= 2:  # attribute values and the registry survive too
            (putin,) = project.actors()
            assert (putin.name, putin.aliases, putin.mention_count) == (
                "Vladimir Putin",
                ("Putin",),
                1,
            )
        assert project.document(ann.document_id).encoding == ""
        assert project.variables() == []
    with open_project(path) as project:  # opening again changes nothing more
        assert project.annotation_count() == 1
