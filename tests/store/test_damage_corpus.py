"""Every way of opening a project gives the same answer for every damaged file of a
generated corpus (tests/store/damage_corpus.py): opened with the right data, or
refused with a message, the refused file and its folder left byte-identical."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.errors import ProjectError
from annotator.store.project import open_project
from tests.store.damage_corpus import DOCUMENTS, Case, Contents, build

Answer = tuple[str, object]


@pytest.fixture(scope="module")
def corpus() -> tuple[Case, ...]:
    return build()


def _folder(path: Path) -> dict[str, bytes]:
    """The folder's files and their bytes; a ``-shm`` counts by its presence only
    (it is SQLite's index of the log, which every reader of the log updates)."""
    return {p.name: b"" if p.name.endswith("-shm") else p.read_bytes() for p in path.iterdir()}


def _api(path: Path, *, read_only: bool) -> Answer:
    try:
        project = open_project(path, read_only=read_only)
    except ProjectError as exc:
        assert str(exc).strip()
        return "refused", type(exc).__name__
    with project:
        try:
            contents: Contents = tuple(
                (d.title, project.document_text(d.id)) for d in project.documents()
            )
            project.annotations()
        except ProjectError:
            return "damaged on reading", None
    return "opened", contents


def _check(case: Case, folder: Path, *, read_only: bool) -> Answer:
    folder.mkdir(parents=True)
    path = folder / "x.annotator"
    case.write(path)
    before = _folder(folder)
    answer = _api(path, read_only=read_only)
    if answer[0] == "refused":
        assert _folder(folder) == before, f"{case.name}: a refused open changed the folder"
    elif read_only:
        assert path.read_bytes() == case.data, f"{case.name}: a read-only open changed it"
    if answer[0] == "opened":
        expected = case.expected or DOCUMENTS
        assert answer[1] == expected, f"{case.name}: opened with wrong data"
    return answer


def test_the_corpus_covers_every_kind_of_damage(corpus):
    names = " | ".join(case.name for case in corpus)
    for kind in ("flip page", "zeroed page", "truncated", "header bytes", "newer version"):
        assert kind in names
    for log in ("left log", "foreign log", "older copy over a left log"):
        assert log in names
    assert len(corpus) > 100


def test_writing_and_reading_opens_give_the_same_answer(corpus, tmp_path):
    logging.disable(logging.WARNING)  # each refusal logs SQLite's report
    try:
        for number, case in enumerate(corpus):
            written = _check(case, tmp_path / f"{number}-w", read_only=False)
            read = _check(case, tmp_path / f"{number}-r", read_only=True)
            assert written == read, case.name
    finally:
        logging.disable(logging.NOTSET)


def _sample(corpus: tuple[Case, ...]) -> list[Case]:
    """Every case but the page-by-page ones, and an eighth of those (the export is slower)."""
    return [
        case
        for number, case in enumerate(corpus)
        if not case.name.startswith(("flip", "zeroed")) or number % 8 == 0
    ]


def test_the_export_gives_the_same_answer(corpus, tmp_path, capsys):
    logging.disable(logging.WARNING)
    try:
        for number, case in enumerate(_sample(corpus)):
            folder = tmp_path / str(number)
            answer = _check(case, folder / "api", read_only=True)
            path = folder / "x.annotator"
            case.write(path)
            before = path.read_bytes()
            code = main(["export", str(path), "--out", str(folder / "out")])
            err = capsys.readouterr().err
            assert path.read_bytes() == before, case.name
            assert code == (0 if answer[0] == "opened" else 1), case.name
            if code:
                assert "x.annotator" in err or "damaged" in err, case.name
    finally:
        logging.disable(logging.NOTSET)
