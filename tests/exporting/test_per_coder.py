"""Several coders coding the same document: every summary, network and statement
file counts each coder's annotations apart and says whose they are."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from annotator.core.codebook import Value
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.store.project import Project

TEXT = "Ann backs the bill. Bo backs it too, says one paper; Bo fights it, says another."


def _span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def _build(project: Project) -> dict[str, str]:
    """Ana and Cem code the same document: each a mention of Ann, a claim on the
    bill and two stances on it. Ana reads Ann and Bo supporting the bill, Cem
    Ann supporting and Bo opposing it. Cy holds nothing; a second document
    nobody coded."""
    attr = project.codebook().attribute
    doc = project.import_text(TEXT, title="Bill", date="2024-03-01")
    project.import_text("Nothing here.", title="Quiet")
    ids = {n: project.add_actor(n, type="person").id for n in ("Ann", "Bo", "Cy")}
    bill = project.add_choice(attr("claim", "issue").id, "bill", code=1)
    polarity = {c.label: c.id for c in attr("stance", "polarity").choices}
    for coder, bo in (("Ana", "support"), ("Cem", "oppose")):
        mention = project.add_annotation(
            doc.id,
            *_span("Ann"),
            "actor",
            coder=coder,
            values=[Value(attr("actor", "actor").id, actor_id=ids["Ann"])],
        )
        claim = project.add_annotation(
            doc.id,
            *_span("backs the bill"),
            "claim",
            coder=coder,
            values=[
                Value(attr("claim", "claimant").id, annotation_id=mention.id),
                Value(attr("claim", "issue").id, choice_id=bill.id),
            ],
        )
        for needle, holder, label in (
            ("Ann backs", Value(attr("stance", "holder").id, annotation_id=mention.id), "support"),
            (
                "Bo backs it" if bo == "support" else "Bo fights it",
                Value(attr("stance", "holder").id, actor_id=ids["Bo"]),
                bo,
            ),
        ):
            project.add_annotation(
                doc.id,
                *_span(needle),
                "stance",
                coder=coder,
                values=[
                    Value(attr("stance", "polarity").id, choice_id=polarity[label]),
                    holder,
                    Value(attr("stance", "target").id, annotation_id=claim.id),
                ],
            )
    return {**ids, "doc": doc.id}


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


@pytest.fixture
def exported(project: Project, tmp_path: Path) -> tuple[dict[str, str], Path]:
    ids = _build(project)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=("csv",)))
    return ids, out


def test_the_summaries_count_each_coder_apart(exported):
    ids, out = exported
    docs = _rows(out / "document_by_category.csv")
    assert [
        (
            r["document_title"],
            r["coder"],
            r["actor"],
            r["claim"],
            r["stance"],
            r["stance.polarity=support"],
            r["stance.polarity=oppose"],
        )
        for r in docs
    ] == [
        ("Bill", "Ana", "1", "1", "2", "2", "0"),
        ("Bill", "Cem", "1", "1", "2", "1", "1"),
        ("Quiet", "", "0", "0", "0", "0", "0"),  # nobody's: one row, no coder
    ]
    actors = _rows(out / "actor_by_polarity.csv")
    assert [(r["name"], r["coder"], r["support"], r["oppose"], r["stances"]) for r in actors] == [
        ("Ann", "Ana", "1", "0", "1"),
        ("Ann", "Cem", "1", "0", "1"),
        ("Bo", "Ana", "1", "0", "1"),
        ("Bo", "Cem", "0", "1", "1"),
        ("Cy", "", "0", "0", "0"),
    ]


def test_the_actor_issue_network_is_each_coders(exported):
    ids, out = exported
    edges = _rows(out / "network_actor_issue.csv")
    assert [(e["actor"], e["issue"], e["coder"], e["weight"], e["stances"]) for e in edges] == [
        ("Ann", "bill", "Ana", "1", "1"),
        ("Ann", "bill", "Cem", "1", "1"),
        ("Bo", "bill", "Ana", "1", "1"),
        ("Bo", "bill", "Cem", "-1", "1"),
    ]
    graph = nx.read_graphml(out / "network_actor_issue.graphml")
    assert graph.number_of_edges() == 4  # no edge counted twice, none merged
    ana = graph.subgraph(n for n, coder in graph.nodes(data="coder") if coder == "Ana")
    assert set(ana.nodes(data="label")) == {
        (f"coder:Ana/actor:{ids['Ann']}", "Ann"),
        (f"coder:Ana/actor:{ids['Bo']}", "Bo"),
        ("coder:Ana/issue:bill", "bill"),
    }
    assert ana.edges[f"coder:Ana/actor:{ids['Bo']}", "coder:Ana/issue:bill"]["weight"] == 1.0
    cem = graph.edges[f"coder:Cem/actor:{ids['Bo']}", "coder:Cem/issue:bill"]
    assert (cem["weight"], cem["coder"]) == (-1.0, "Cem")


def test_the_actor_networks_are_each_coders(exported):
    """Ana's Ann and Bo agree on the bill (congruence 1·1), Cem's disagree
    (conflict 1·1); summed over the coders they would both be 2·1."""
    ids, out = exported
    congruence = _rows(out / "actor_congruence.csv")
    conflict = _rows(out / "actor_conflict.csv")
    assert [(r["actor_a"], r["actor_b"], r["coder"], r["weight"]) for r in congruence] == [
        ("Ann", "Bo", "Ana", "1")
    ]
    assert [(r["actor_a"], r["actor_b"], r["coder"], r["weight"]) for r in conflict] == [
        ("Ann", "Bo", "Cem", "1")
    ]
    # each actor made one statement with each coder: every normalisation is 1 (average,
    # Jaccard m10 + m01 + m11 = 0 + 0 + 1, cosine)
    assert [congruence[0][c] for c in ("weight_average", "weight_jaccard", "weight_cosine")] == [
        "1",
        "1",
        "1",
    ]
    graph = nx.read_graphml(out / "actor_conflict.graphml")
    assert set(graph.nodes(data="coder")) == {
        (f"coder:Cem/actor:{ids['Ann']}", "Cem"),
        (f"coder:Cem/actor:{ids['Bo']}", "Cem"),
    }
    edge = graph.edges[f"coder:Cem/actor:{ids['Ann']}", f"coder:Cem/actor:{ids['Bo']}"]
    assert (edge["weight"], edge["coder"]) == (1.0, "Cem")


def test_the_statement_files_say_whose_each_row_is(exported, project):
    _ids, out = exported
    coders = {a.id: a.coder for a in project.annotations()}
    statements = _rows(out / "statements.csv")
    assert len(statements) == 4
    assert all(r["coder"] == coders[r["statement_id"]] for r in statements)
    dna = _rows(out / "dna_statements.csv", ";")
    assert sorted((r["coder"], r["person"], r["agreement"]) for r in dna) == [
        ("Ana", "Ann", "1"),
        ("Ana", "Bo", "1"),
        ("Cem", "Ann", "1"),
        ("Cem", "Bo", "0"),
    ]
    claims = _rows(out / "claims.csv")
    assert sorted((r["coder"], r["stance_holder_actor"], r["polarity"]) for r in claims) == [
        ("Ana", "Ann", "support"),
        ("Ana", "Bo", "support"),
        ("Cem", "Ann", "support"),
        ("Cem", "Bo", "oppose"),
    ]


def test_the_dictionary_lists_the_coder_column_of_every_derived_file(exported):
    _ids, out = exported
    listed = {(r["file"], r["column"]) for r in _rows(out / "data_dictionary.csv")}
    for name in (
        "document_by_category",
        "actor_by_polarity",
        "network_actor_issue",
        "actor_congruence",
        "actor_conflict",
        "statements",
        "dna_statements",
        "claims",
    ):
        assert (f"{name}.csv", "coder") in listed
    markdown = (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "per coder" in markdown


def test_a_coder_filter_gives_that_coders_summaries(project, tmp_path):
    _build(project)
    out = tmp_path / "out"
    export_for_analysis(
        project, out, ExportOptions(actor_networks=True, formats=("csv",), coder="Cem")
    )
    actors = _rows(out / "actor_by_polarity.csv")
    assert {r["coder"] for r in actors} == {"Cem", ""}
    assert [(r["actor_a"], r["coder"]) for r in _rows(out / "actor_conflict.csv")] == [
        ("Ann", "Cem")
    ]
    assert _rows(out / "actor_congruence.csv") == []
    graph = nx.read_graphml(out / "actor_conflict.graphml")
    assert all(not n.startswith("coder:") for n in graph)  # one coder: ids as ever
