"""actor_congruence and actor_conflict (one-mode, as the Discourse Network
Analyzer computes them) against an example worked out by hand."""

from __future__ import annotations

import csv
import itertools
import json
import math
import os
import random

import networkx as nx
import pytest

from annotator.cli import main as cli_main
from annotator.core.codebook import Value
from annotator.exporting import actor_networks
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
from annotator.store.project import Project

TEXT = "Ann: yes to the bill, yes again, no tax. Bo: yes to both. Cy: no to both. Cy shrugs."
COLUMNS = [
    "actor_a_id",
    "actor_a",
    "actor_b_id",
    "actor_b",
    "weight",
    "weight_average",
    "weight_jaccard",
    "weight_cosine",
    "coder",
]


def _span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def _build(project: Project, bo_mention: bool = False, unlinked: bool = False) -> dict[str, str]:
    """Ann supports the bill twice and opposes the tax; Bo supports both; Cy
    opposes both, and is neutral on the bill once (left out, as in DNA).

    ``bo_mention``: Bo's stances are held by a mention linked to Bo in the
    registry rather than by Bo directly. ``unlinked``: a mention "Dee" linked to
    no registry actor supports the bill and opposes the tax, and a stance with
    no holder supports the bill (both left out of the networks)."""
    attr = project.codebook().attribute
    doc = project.import_text(TEXT, title="Debate", date="2024-03-01")
    actors = {n: project.add_actor(n, type="person").id for n in ("Ann", "Bo", "Cy")}
    holders = {n: Value(attr("stance", "holder").id, actor_id=a) for n, a in actors.items()}
    if bo_mention:
        mention = project.add_annotation(
            doc.id,
            *_span("Bo"),
            "actor",
            coder="Ana",
            values=[Value(attr("actor", "actor").id, actor_id=actors["Bo"])],
        )
        holders["Bo"] = Value(attr("stance", "holder").id, annotation_id=mention.id)
    if unlinked:
        dee = project.add_annotation(doc.id, *_span("Cy shrugs"), "actor", coder="Ana")
        holders["Dee"] = Value(attr("stance", "holder").id, annotation_id=dee.id)
    issue = attr("claim", "issue").id
    claims = {}
    for label, code, needle in (("bill", 1, "the bill"), ("tax", 2, "no tax")):
        choice = project.add_choice(issue, label, code=code)
        claims[label] = project.add_annotation(
            doc.id, *_span(needle), "claim", coder="Ana", values=[Value(issue, choice_id=choice.id)]
        ).id
    polarity = {c.label: c.id for c in attr("stance", "polarity").choices}

    def stance(needle: str, who: str, label: str, concept: str) -> None:
        values = [
            Value(attr("stance", "polarity").id, choice_id=polarity[label]),
            Value(attr("stance", "target").id, annotation_id=claims[concept]),
        ]
        if who:
            values.append(holders[who])
        project.add_annotation(doc.id, *_span(needle), "stance", coder="Ana", values=values)

    stance("yes to the bill", "Ann", "support", "bill")
    stance("yes again", "Ann", "support", "bill")
    stance("no tax", "Ann", "oppose", "tax")
    stance("Bo: yes", "Bo", "support", "bill")
    stance("yes to both", "Bo", "support", "tax")
    stance("Cy: no", "Cy", "oppose", "bill")
    stance("no to both", "Cy", "oppose", "tax")
    stance("Cy shrugs", "Cy", "neutral", "bill")
    if unlinked:
        stance("yes to the bill", "Dee", "support", "bill")
        stance("no tax", "Dee", "oppose", "tax")
        stance("yes again", "", "support", "bill")
    return actors


# Statements n[actor][concept][agreement]:
#   Ann: bill/1 = 2, tax/0 = 1 (N = 3);  Bo: bill/1 = 1, tax/1 = 1 (N = 2);
#   Cy:  bill/0 = 1, tax/0 = 1 (N = 2; the neutral stance is no statement).
# Normalisers per pair (the same for both networks):
#   average = (N_a + N_b) / 2: Ann-Bo 2.5, Ann-Cy 2.5, Bo-Cy 2
#   jaccard = m10 + m01 + m11:
#     Ann-Bo: m10 = tax/0 1, m01 = tax/1 1, m11 = bill/1 2·1 = 2   → 4
#     Ann-Cy: m10 = bill/1 2, m01 = bill/0 1, m11 = tax/0 1·1 = 1  → 4
#     Bo-Cy:  m10 = 2, m01 = 2, m11 = 0                             → 4
#   cosine = N_a · N_b: Ann-Bo 6, Ann-Cy 6, Bo-Cy 4
# Congruence (same agreement on a concept, statements multiplied):
#   Ann-Bo: bill/1 2·1 = 2 → 2/2.5 = 0.8, 2/4 = 0.5, 2/6 = 1/3
#   Ann-Cy: tax/0 1·1 = 1  → 1/2.5 = 0.4, 1/4 = 0.25, 1/6
#   Bo-Cy: nothing shared  → no row
# Conflict (opposite agreement on a concept):
#   Ann-Bo: tax 0·1: 1·1 = 1        → 0.4, 0.25, 1/6
#   Ann-Cy: bill 1·0: 2·1 = 2       → 0.8, 0.5, 1/3
#   Bo-Cy: bill 1·1 + tax 1·1 = 2   → 2/2 = 1, 2/4 = 0.5, 2/4 = 0.5
CONGRUENCE = [
    ("Ann", "Bo", 2, 0.8, 0.5, 1 / 3),
    ("Ann", "Cy", 1, 0.4, 0.25, 1 / 6),
]
CONFLICT = [
    ("Ann", "Bo", 1, 0.4, 0.25, 1 / 6),
    ("Ann", "Cy", 2, 0.8, 0.5, 1 / 3),
    ("Bo", "Cy", 2, 1, 0.5, 0.5),
]


def _read(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


@pytest.mark.parametrize(("name", "expected"), [("congruence", CONGRUENCE), ("conflict", CONFLICT)])
def test_the_edge_lists_are_the_hand_computed_ones(project, tmp_path, name, expected):
    actors = _build(project)
    out = tmp_path / "out"
    result = export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=("csv",)))
    rows = _read(out / f"actor_{name}.csv")
    got = [(r["actor_a"], r["actor_b"], *(float(r[c]) for c in COLUMNS[4:8])) for r in rows]
    assert got == [
        (a, b, *(pytest.approx(float(x), abs=1e-12) for x in weights))
        for a, b, *weights in expected
    ]
    assert [(r["actor_a_id"], r["actor_b_id"]) for r in rows] == [
        (actors[a], actors[b]) for a, b, *_ in expected
    ]
    assert rows[0]["weight"] in ("2", "1") and rows[0]["weight_jaccard"] in ("0.5", "0.25")
    assert result.files[f"actor_{name}.csv"] == len(expected)
    assert {r["coder"] for r in rows} == {"Ana"}  # one coder: the files as before, and whose


@pytest.mark.parametrize(("name", "expected"), [("congruence", CONGRUENCE), ("conflict", CONFLICT)])
def test_a_mention_linked_to_the_registry_is_its_actor(project, tmp_path, name, expected):
    actors = _build(project, bo_mention=True)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=("csv",)))
    rows = _read(out / f"actor_{name}.csv")
    assert [(r["actor_a_id"], r["actor_b_id"], float(r["weight"])) for r in rows] == [
        (actors[a], actors[b], weight) for a, b, weight, *_ in expected
    ]


def test_statements_held_by_no_registry_actor_are_left_out_and_counted(project, tmp_path):
    """Dee (a mention with no registry actor) would agree with Ann on the bill
    and the tax, and disagree with Bo and Cy: no node, no edge; the networks are
    the hand-computed ones and the warning and the dictionary count 3 statements."""
    _build(project, unlinked=True)
    out = tmp_path / "out"
    result = export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=("csv",)))
    for name, expected in (("congruence", CONGRUENCE), ("conflict", CONFLICT)):
        rows = _read(out / f"actor_{name}.csv")
        assert [(r["actor_a"], r["actor_b"], float(r["weight"])) for r in rows] == [
            (a, b, weight) for a, b, weight, *_ in expected
        ]
        graph = nx.read_graphml(out / f"actor_{name}.graphml")
        assert {graph.nodes[n]["label"] for n in graph} == {a for row in expected for a in row[:2]}
    # dna_statements.csv keeps them: Dee as an organization, the holderless one empty.
    with (out / "dna_statements.csv").open(encoding="utf-8", newline="") as handle:
        dna = list(csv.DictReader(handle, delimiter=";"))
    assert [r["organization"] for r in dna].count("Cy shrugs") == 2
    assert len(dna) == 10
    [warning] = [w for w in result.warnings if "actor_congruence" in w]
    assert "leave out 3 statements whose holder is not linked to a registry actor" in warning
    with (out / "data_dictionary.csv").open(encoding="utf-8", newline="") as handle:
        assert "actor_conflict.csv" in {r["file"] for r in csv.DictReader(handle)}
    markdown = (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    for name in ("actor_congruence", "actor_conflict"):
        [line] = [x for x in markdown.splitlines() if x.startswith(f"| `{name}.csv` |")]
        assert "left out (3 in this export)" in line


def test_statements_without_a_concept_are_left_out_and_said(project, tmp_path):
    """Bo also opposes, targeting nothing: dna_statements.csv lists it (no concept),
    the networks leave it out, from each actor's count of statements too (the
    hand-computed weights stand), and the warning and the dictionary say so (it
    went silently, and a network rebuilt from dna_statements.csv differed)."""
    _build(project)
    attr = project.codebook().attribute
    oppose = next(c for c in attr("stance", "polarity").choices if c.label == "oppose")
    bo = next(a for a in project.actors() if a.name == "Bo")
    doc = project.documents()[0]
    project.add_annotation(
        doc.id,
        *_span("Bo: yes"),
        "stance",
        coder="Ana",
        values=[
            Value(attr("stance", "polarity").id, choice_id=oppose.id),
            Value(attr("stance", "holder").id, actor_id=bo.id),
        ],
    )
    out = tmp_path / "out"
    result = export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=("csv",)))
    for name, expected in (("congruence", CONGRUENCE), ("conflict", CONFLICT)):
        rows = _read(out / f"actor_{name}.csv")
        assert [
            (r["actor_a"], r["actor_b"], float(r["weight"]), float(r["weight_average"]))
            for r in rows
        ] == [(a, b, weight, average) for a, b, weight, average, *_ in expected]
    with (out / "dna_statements.csv").open(encoding="utf-8", newline="") as handle:
        dna = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["person"], r["concept"]) for r in dna].count(("Bo", "")) == 1
    [warning] = [w for w in result.warnings if "without a concept" in w]
    assert warning.startswith("actor_congruence and actor_conflict leave out 1 statement without")
    markdown = (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    for name in ("actor_congruence", "actor_conflict"):
        [line] = [x for x in markdown.splitlines() if x.startswith(f"| `{name}.csv` |")]
        assert "statements without a concept" in line and "(1)" in line


@pytest.mark.parametrize("kept", [True, False])
@pytest.mark.parametrize(("name", "expected"), [("congruence", CONGRUENCE), ("conflict", CONFLICT)])
def test_networkx_reads_the_graphml(project, tmp_path, monkeypatch, name, expected, kept):
    """``kept``: the GraphML from the rows kept since the CSV; else computed anew
    (a network larger than KEPT_ROWS)."""
    if not kept:
        monkeypatch.setattr(actor_networks, "KEPT_ROWS", 1)
    actors = _build(project)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=("csv",)))
    graph = nx.read_graphml(out / f"actor_{name}.graphml")
    assert not graph.is_directed()
    assert {graph.nodes[n]["label"] for n in graph} == {a for row in expected for a in row[:2]}
    for a, b, weight, average, jaccard, cosine in expected:
        edge = graph.edges[f"actor:{actors[a]}", f"actor:{actors[b]}"]
        assert edge["weight"] == pytest.approx(weight)
        assert edge["weight_average"] == pytest.approx(average)
        assert edge["weight_jaccard"] == pytest.approx(jaccard)
        assert edge["weight_cosine"] == pytest.approx(cosine)
    assert graph.number_of_edges() == len(expected)


def test_a_project_without_statements_has_empty_networks(project, tmp_path):
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=("csv",)))
    assert _read(out / "actor_congruence.csv") == []
    assert nx.read_graphml(out / "actor_conflict.graphml").number_of_nodes() == 0


def test_the_dictionary_lists_the_networks(project, tmp_path):
    _build(project)
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=("csv",)))
    with (out / "data_dictionary.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for name in ("actor_congruence.csv", "actor_conflict.csv"):
        assert [r["column"] for r in rows if r["file"] == name] == COLUMNS
    markdown = (out / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert "actor_congruence.graphml" in markdown and "actor_conflict.graphml" in markdown


def _oracle(statements: list[tuple[str, str, str]], kind: str) -> dict[tuple[str, str], tuple]:
    """DNA's weights, pair by pair, straight from the formulas, for (actor, concept,
    agreement) statements: {(actor a, actor b): (weight, average, jaccard, cosine)}."""
    n: dict[str, dict[tuple[str, str], int]] = {}
    for actor, concept, agree in statements:
        cells = n.setdefault(actor, {})
        cells[(concept, agree)] = cells.get((concept, agree), 0) + 1
    edges = {}
    for a, b in itertools.combinations(sorted(n, key=lambda x: (x.casefold(), x)), 2):
        na, nb = n[a], n[b]
        if kind == "congruence":
            weight = sum(na[c] * nb.get(c, 0) for c in na)
        else:
            weight = sum(na[(c, q)] * nb.get((c, "0" if q == "1" else "1"), 0) for c, q in na)
        if not weight:
            continue
        total_a, total_b = sum(na.values()), sum(nb.values())
        m10 = sum(v for c, v in na.items() if c not in nb)
        m01 = sum(v for c, v in nb.items() if c not in na)
        m11 = sum(v * nb[c] for c, v in na.items() if c in nb)
        edges[(a, b)] = (
            weight,
            weight / ((total_a + total_b) / 2),
            weight / (m10 + m01 + m11),
            weight / (math.sqrt(total_a**2) * math.sqrt(total_b**2)),
        )
    return edges


def test_a_random_project_matches_the_formulas(project, tmp_path):
    """40 actors, 18 concepts, 160 statements: the crowded concepts and the sparse
    ones are computed apart; both against the formulas applied to dna_statements.csv."""
    rng = random.Random(17)
    attr = project.codebook().attribute
    doc = project.import_text("word " * 400, title="Random")
    actors = [project.add_actor(f"Actor {i:02}", type="person").id for i in range(40)]
    issue = attr("claim", "issue").id
    claims = []
    for k in range(18):
        choice = project.add_choice(issue, f"concept {k}", code=k + 1)
        claims.append(
            project.add_annotation(
                doc.id,
                5 * k,
                5 * k + 4,
                "claim",
                coder="Ana",
                values=[Value(issue, choice_id=choice.id)],
            ).id
        )
    polarity = {c.label: c.id for c in attr("stance", "polarity").choices}
    for k in range(160):
        # the first concepts are crowded, the later ones held by a few actors
        concept = min(int(rng.expovariate(0.3)), 17)
        holders = actors if concept < 4 else actors[concept : concept + 6]
        project.add_annotation(
            doc.id,
            k,
            k + 3,
            "stance",
            coder="Ana",
            values=[
                Value(
                    attr("stance", "polarity").id,
                    choice_id=polarity[rng.choice(("support", "oppose"))],
                ),
                Value(attr("stance", "holder").id, actor_id=rng.choice(holders)),
                Value(attr("stance", "target").id, annotation_id=claims[concept]),
            ],
        )
    out = tmp_path / "out"
    export_for_analysis(project, out, ExportOptions(actor_networks=True, formats=("csv",)))
    with (out / "dna_statements.csv").open(encoding="utf-8", newline="") as handle:
        statements = [
            (r["person"], r["concept"], r["agreement"])
            for r in csv.DictReader(handle, delimiter=";")
        ]
    assert len(statements) == 160
    for kind in ("congruence", "conflict"):
        expected = _oracle(statements, kind)
        rows = _read(out / f"actor_{kind}.csv")
        assert [(r["actor_a"], r["actor_b"]) for r in rows] == list(expected)
        for r in rows:
            got = tuple(float(r[c]) for c in COLUMNS[4:8])
            assert got == pytest.approx(expected[(r["actor_a"], r["actor_b"])], rel=1e-12)
        assert len(expected) > 50


def test_the_command_line_writes_the_networks_only_when_asked(project, tmp_path):
    _build(project)
    project.close()
    plain, asked = tmp_path / "plain", tmp_path / "asked"
    assert cli_main(["export", str(project.path), "--out", str(plain)]) == 0
    assert cli_main(["export", str(project.path), "--out", str(asked), "--actor-networks"]) == 0
    networks = {
        f"{n}.{s}" for n in ("actor_congruence", "actor_conflict") for s in ("csv", "graphml")
    }
    assert not networks & set(os.listdir(plain))
    assert networks <= set(os.listdir(asked))
    manifest = json.loads((asked / "manifest.json").read_text("utf-8"))
    assert networks <= set(manifest["files"])
    # Everything else is the same file.
    for name in os.listdir(plain):
        if name not in ("manifest.json", "DATA_DICTIONARY.md", "data_dictionary.csv"):
            assert (plain / name).read_bytes() == (asked / name).read_bytes(), name
