import csv

import pytest

from annotator.core.resources import sample_docs_dir
from annotator.importing.text_import import ImportRejected, import_file, import_sample_documents


def test_sample_documents_import_with_manifest_metadata(project):
    results = import_sample_documents(project)
    assert len(results) == 5
    assert not any(r.duplicate for r in results)
    with (sample_docs_dir() / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        manifest = list(csv.DictReader(handle))
    docs = project.documents()
    assert [d.file_name for d in docs] == [row["file_name"] for row in manifest]
    for doc, row in zip(docs, manifest, strict=True):
        raw = (sample_docs_dir() / row["file_name"]).read_text(encoding="utf-8")
        assert project.document_text(doc.id) == raw  # the samples are already canonical
        assert (doc.source, doc.author, doc.date) == (row["source"], row["author"], row["date"])
        if row["title"]:
            assert doc.title == row["title"]


def test_importing_the_same_text_twice_is_reported_as_duplicate(project, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Kim said “no”.\r\n".encode())
    first = import_file(project, path)
    second = import_file(project, path)
    assert not first.duplicate and second.duplicate
    assert second.document.id == first.document.id
    assert len(project.documents()) == 1
    assert project.document_text(first.document.id) == "Kim said “no”.\n"
    assert first.document.title == "Kim said “no”."


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n\r\n\t", "empty"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary"),
        (b"Kim said\x00 no", "NUL"),
    ],
)
def test_bad_files_are_rejected_and_change_nothing(project, tmp_path, content, reason):
    good = project.import_text("existing text", title="kept")
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ImportRejected, match=reason):
        import_file(project, path)
    assert project.documents() == [good]


def test_missing_file_is_rejected(project, tmp_path):
    with pytest.raises(ImportRejected, match="bad.txt: the file does not exist"):
        import_file(project, tmp_path / "bad.txt")
