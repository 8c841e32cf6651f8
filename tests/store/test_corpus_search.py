"""Corpus search over a real project file: the index, hits, filters, limits."""

import random
import shutil
from pathlib import Path

import pytest

from annotator.core.corpus_query import QueryError, parse_query
from annotator.core.model import DocumentStatus
from annotator.core.progress import Cancelled, Progress
from annotator.store.corpus_search import SearchFilters
from annotator.store.project import open_project

DATA = Path(__file__).resolve().parent.parent / "data"

SUMMIT = "Putin met Kim 👍🏽 in Pyongyang.\nExtended\ndeterrence was the word; insecurity grew.\n"
SEOUL = "한국은 북한의 핵 프로그램에 대해 우려를 표명했다. Extended deterrence again, and security."


@pytest.fixture
def corpus(project):
    summit = project.import_text(SUMMIT, title="Summit", source="Yonhap", date="2024-03-05")
    seoul = project.import_text(SEOUL, title="Seoul", source="KBS", date="2024-04")
    return project, summit, seoul


def _found(result):
    return [(h.document_id, h.start, h.end, h.match) for h in result.hits()]


def test_hits_are_code_point_spans_in_project_order(corpus):
    project, summit, seoul = corpus
    result = project.search('"extended deterrence"')
    start = SUMMIT.index("Extended")  # after an emoji of two code points
    assert _found(result) == [
        (summit.id, start, start + len("Extended\ndeterrence"), "Extended\ndeterrence"),
        (seoul.id, SEOUL.index("Extended"), SEOUL.index(" again"), "Extended deterrence"),
    ]
    assert [(d.title, d.count) for d in result.documents] == [("Summit", 1), ("Seoul", 1)]
    assert result.total == 2
    hit = result.hits()[0]
    assert hit.before == "Putin met Kim 👍🏽 in Pyongyang. "  # six words
    assert hit.line().startswith("Putin met Kim 👍🏽 in Pyongyang. [Extended deterrence] was")


def test_words_prefixes_korean_and_short_words(corpus):
    project, summit, seoul = corpus
    assert _found(project.search("security")) == [
        (seoul.id, SEOUL.index("security"), SEOUL.index("security") + 8, "security")
    ]
    assert [h.match for h in project.search("secur*").hits()] == ["security"]
    assert _found(project.search("한국")) == [(seoul.id, 0, 2, "한국")]
    assert [h.match for h in project.search("핵").hits()] == ["핵"]  # no trigram: every text
    assert project.search("Kim Seoul").total == 0  # every term in one document
    assert [h.match for h in project.search("Kim putin").hits()] == ["Putin", "Kim"]


def test_korean_japanese_and_chinese_are_found_without_spaces(project):
    texts = {
        "ko": "국가안보전략회의가 열렸다. 대한국민은 북핵문제를 논의했다.",
        "ja": "日本政府は拡大抑止を確認した。",
        "zh": "中华人民共和国外交部发言人表示。UN安理会",
    }
    docs = {k: project.import_text(t, title=k) for k, t in texts.items()}
    found = project.search("안보")
    assert _found(found) == [(docs["ko"].id, 2, 4, "안보")]  # inside a compound
    assert [h.match for h in project.search("한국").hits()] == ["한국"]  # 대한국민은
    assert [h.match for h in project.search("抑止").hits()] == ["抑止"]
    assert [d.title for d in project.search("外交部 发言人").documents] == ["zh"]
    assert [h.match for h in project.search("UN安理").hits()] == ["UN安理"]
    assert project.search("抑止 外交部").total == 0  # not in one document


def test_regex_mode_reads_every_text(corpus):
    project, summit, seoul = corpus
    result = project.search(r"P\w+g", regex=True)
    start = SUMMIT.index("Pyongyang")
    assert start == 20  # code points: the emoji is two of them
    assert _found(result) == [(summit.id, start, start + 9, "Pyongyang")]
    assert project.search(r"(?i)extended\s", regex=True).total == 2
    assert project.search(r"q*", regex=True).total == 0  # empty matches are no hits
    with pytest.raises(QueryError):
        project.search("[", regex=True)


def test_hits_say_which_categories_are_coded_there(corpus):
    project, summit, _ = corpus
    project.add_annotation(summit.id, 0, 5, "actor", coder="Ana")
    project.add_annotation(summit.id, 0, 13, "claim", coder="Ana")
    hits = project.search("Putin Kim").hits()
    assert [(h.match, h.coded) for h in hits] == [
        ("Putin", ("actor", "claim")),
        ("Kim", ("claim",)),
    ]
    # Annotations starting together: in the codebook's order, whichever came first
    # (they came in the order of their random ids).
    for coder in ("Ana", "Bo", "Cy", "Di", "Ed", "Flo", "Gus"):
        project.add_annotation(summit.id, 10, 13, "stance", coder=coder)
    project.add_annotation(summit.id, 10, 13, "actor", coder="Hal")
    (kim,) = [h for h in project.search("Kim").hits() if h.match == "Kim"]
    assert kim.coded == ("claim", "actor", "stance")


def test_limit_keeps_counting(project):
    doc = project.import_text("deal " * 50, title="Deals")
    result = project.search("deal", limit=3)
    assert (result.total, result.shown, result.documents[0].count) == (50, 3, 50)
    assert [h.start for h in result.hits()] == [0, 5, 10]
    assert result.documents[0].document_id == doc.id


def test_filters_by_status_source_date_and_variable(corpus):
    project, summit, seoul = corpus
    project.add_variable("Outlet type", key="outlet")
    project.set_document_variables(seoul.id, {"outlet": "broadcast"})
    project.set_document_status(summit.id, DocumentStatus.DONE)

    def titles(**fields):
        result = project.search("extended", filters=SearchFilters(**fields))
        return [d.title for d in result.documents]

    assert titles() == ["Summit", "Seoul"]
    assert titles(statuses=("done",)) == ["Summit"]
    assert titles(sources=("KBS",)) == ["Seoul"]
    assert titles(date_from="2024-04-01") == []  # "2024-04" lies before its first day
    assert titles(date_from="2024-04") == ["Seoul"]
    assert titles(date_to="2024-03") == ["Summit"]
    assert titles(variables=(("outlet", "broadcast"),)) == ["Seoul"]
    assert titles(variables=(("outlet", "print"),)) == []


def test_cancel_and_time_limit(corpus):
    project, _, _ = corpus
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        project.search("extended", progress=progress)
    result = project.search("extended", time_limit=0)
    assert result.total == 0 and result.stopped.startswith("Stopped after 0 s")


def _indexed(project, piece: str) -> list[str]:
    return [
        row[0]
        for row in project.db.execute(
            "SELECT c.document_id FROM corpus_documents c JOIN corpus_text t ON t.rowid = c.n"
            " WHERE corpus_text MATCH ? ORDER BY c.n",
            (f'"{piece}"',),
        )
    ]


def test_the_index_follows_documents_whatever_writes_them(corpus):
    project, summit, seoul = corpus
    assert _indexed(project, "extended") == [summit.id, seoul.id]  # any case
    assert _indexed(project, "북한의") == [seoul.id]
    with project.db.conn:  # another tool deletes a document
        project.db.execute("DELETE FROM documents WHERE id = ?", (summit.id,))
    assert _indexed(project, "extended") == [seoul.id]
    assert project.db.execute("SELECT COUNT(*) FROM corpus_documents").fetchone()[0] == 1
    assert [d.title for d in project.search("extended").documents] == ["Seoul"]


def test_an_older_project_is_indexed_when_opened(tmp_path):
    path = tmp_path / "old.annotator"
    shutil.copy(DATA / "schema_5.annotator", path)
    with open_project(path) as project:
        (doc,) = project.documents()
        assert _indexed(project, "putin") == [doc.id]
        assert [h.match for h in project.search("putin").hits()] == ["Putin"]


def test_the_index_never_hides_a_hit(project):
    """Whatever the index narrows to, the hits are those of reading every text."""
    rng = random.Random(7)
    vocabulary = (
        "U.S. café Café naïve deal deals un_deal 한국은 한국 대한국 東京都 北京 x2 ² -".split()
    )
    texts = [" ".join(rng.choice(vocabulary) for _ in range(12)) for _ in range(25)]
    for i, text in enumerate(texts):
        project.import_text(text, title=f"D{i}")
    ids = [d.id for d in project.documents()]
    queries = [
        "U.S.",
        "cafe",
        "café",
        "deal*",
        "un_deal",
        "한국",
        "東京",
        "x2",
        "deal 한국",
        "국은",
    ]
    for query in [*queries, "京都", "대한", '"deal 한국"', "UN한국"]:
        parsed = parse_query(query)
        expected = [(ids[i], s, e) for i, t in enumerate(texts) for s, e in parsed.spans(t)]
        found = [(h.document_id, h.start, h.end) for h in project.search(query, limit=None).hits()]
        assert found == expected, query


def test_a_runaway_regular_expression_is_stopped_in_its_document(project):
    project.import_text("first a", title="First")
    project.import_text("a" * 40 + "b", title="Runaway")
    project.import_text("last a", title="Last")
    result = project.search(r"(a|aa)+$", regex=True, regex_limit=0.2)
    assert result.stopped.startswith("The regular expression ran over 0.2 s in “Runaway”")
    assert "1 of 3 documents searched" in result.stopped
    assert [d.title for d in result.documents] == ["First"]


def test_each_document_is_told_as_it_is_read(corpus):
    project, summit, seoul = corpus
    told = []
    result = project.search("extended", found=told.append)
    assert [d.document_id for d in told] == [summit.id, seoul.id]
    assert tuple(told) == result.documents
