"""Project.snapshot(): one state of the project for every read inside it."""

from annotator.store.project import create_project, open_project


def test_reads_inside_a_snapshot_ignore_what_another_connection_commits(tmp_path):
    path = tmp_path / "p.annotator"
    with create_project(path) as writer:
        doc = writer.import_text("Alpha beta gamma.", title="t")
        with open_project(path, read_only=True) as reader:
            with reader.snapshot():
                assert reader.annotation_count() == 0
                first_image = reader.db.conn.serialize()
                writer.add_annotation(doc.id, 0, 5, "actor", coder="Ana")
                assert reader.annotation_count() == 0
                assert reader.annotations() == []
                assert reader.db.conn.serialize() == first_image
            assert reader.annotation_count() == 1
            assert reader.db.conn.serialize() != first_image
            assert not reader.db.conn.in_transaction
