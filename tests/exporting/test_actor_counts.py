"""The actor tables' counts read in a few passes (``count_actor_stances``, what the
Statistics view and the export's actor_by_polarity.csv and network_actor_issue.csv
show) equal those the export adds up batch by batch (``Tallies``), on random
projects: several coders and the adjudicated set, mentions linked and unlinked,
holders by mention, by registry actor and none, stances with and without a
polarity, claims with and without a claimant or an issue, targets of every kind."""

from __future__ import annotations

import random

import pytest

from annotator.core.adjudication import ADJUDICATED
from annotator.core.codebook import Value
from annotator.exporting.actor_counts import ActorCounts, attribute_ids, count_actor_stances
from annotator.exporting.claims import Links
from annotator.exporting.data import ExportData
from annotator.exporting.network import network_table
from annotator.exporting.summaries import actor_by_polarity, polarity_labels
from annotator.store.project import Project
from annotator.store.stance_reads import read_stances
from annotator.store.statistics import NO_DATE, count_stances, stances_by_month
from tests.exporting.coded_example import write_unchecked

WORDS = "the minister said parliament 대통령 rejected treaty security talks".split()
CODERS = ("Ana", "Bo", "cy", ADJUDICATED)


def _random_project(project: Project, seed: int) -> None:
    with project.db.atomic():  # one commit: a small test
        _fill(project, random.Random(seed))


def _fill(project: Project, rng: random.Random) -> None:
    codebook = project.codebook()
    attr = codebook.attribute
    ids = {
        (category, name): attr(category, name).id  # type: ignore[union-attr]
        for category, name in (
            ("actor", "actor"),
            ("claim", "claimant"),
            ("claim", "issue"),
            ("stance", "polarity"),
            ("stance", "holder"),
            ("stance", "target"),
        )
    }
    actors = [project.add_actor(f"Actor {i % 4}", type="party") for i in range(6)]  # names repeat
    issues = [project.add_choice(ids["claim", "issue"], f"issue {i}", code=i) for i in range(3)]
    polarity = attr("stance", "polarity").choices  # type: ignore[union-attr]
    mentions: list[str] = []
    claims: list[str] = []
    stances: list[str] = []
    for d in range(3):
        text = " ".join(rng.choice(WORDS) for _ in range(60))
        doc = project.import_text(
            text, title=f"Document {d}", date=("2024-05-02", "2024-06", "")[d]
        )
        words = [i for i, c in enumerate(text) if c != " " and (i == 0 or text[i - 1] == " ")]
        for _ in range(40):
            start = rng.choice(words)
            end = text.find(" ", start)
            end = len(text) if end < 0 else end
            kind = rng.choice(("actor", "actor", "claim", "stance", "stance"))
            annotation = project.add_annotation(doc.id, start, end, kind, coder=rng.choice(CODERS))
            values: list[Value] = []
            roll = rng.random()
            if kind == "actor":
                if roll < 0.7:
                    values.append(Value(ids["actor", "actor"], actor_id=rng.choice(actors).id))
                mentions.append(annotation.id)
            elif kind == "claim":
                if mentions and roll < 0.7:
                    values.append(
                        Value(ids["claim", "claimant"], annotation_id=rng.choice(mentions))
                    )
                if rng.random() < 0.8:
                    values.append(Value(ids["claim", "issue"], choice_id=rng.choice(issues).id))
                claims.append(annotation.id)
            else:
                if rng.random() < 0.7:
                    values.append(
                        Value(ids["stance", "polarity"], choice_id=rng.choice(polarity).id)
                    )
                holder = ids["stance", "holder"]
                if mentions and roll < 0.6:  # any coder's mention, in any document
                    values.append(Value(holder, annotation_id=rng.choice(mentions)))
                elif roll < 0.75:
                    values.append(Value(holder, actor_id=rng.choice(actors).id))
                elif roll < 0.8:
                    values.append(Value(holder, choice_id=rng.choice(issues).id))
                elif roll < 0.85 and claims:  # a holder that is no mention
                    values.append(Value(holder, annotation_id=rng.choice(claims)))
                target = ids["stance", "target"]
                aim = rng.random()
                if claims and aim < 0.6:
                    values.append(Value(target, annotation_id=rng.choice(claims)))
                elif aim < 0.75:
                    values.append(Value(target, choice_id=rng.choice(issues).id))
                elif aim < 0.8:
                    values.append(Value(target, actor_id=rng.choice(actors).id))
                elif aim < 0.85 and stances:
                    values.append(Value(target, annotation_id=rng.choice(stances)))
                stances.append(annotation.id)
            write_unchecked(project, annotation.id, values)
    project.add_actor("Nobody Holds", type="party")  # an actor with no stance


def _batch_by_batch(data: ExportData) -> ActorCounts:
    """The reference: the same counts added up stance by stance over the export's
    groups of documents, from what ``Links`` resolves for each (as the export
    counted them before ``count_actor_stances``)."""
    counts = ActorCounts(polarity_labels(data), data.actors)
    slot = {label: i for i, label in enumerate(counts.labels)}
    others = len(slot)
    for group in data.plan():
        part = data.batch(group)
        links = Links(part)
        for ann in links.own_stances:
            stance = links.stances[ann.id]
            label, code = stance.polarity
            actor = stance.holder.actor
            if actor is not None and actor.id in counts.by_actor:
                row = counts.by_actor[actor.id].setdefault(ann.coder, [0] * (others + 2))
                row[slot.get(label, others)] += 1
                row[-1] += 1
            claim = links.claim_of.get(ann.id)
            if claim is not None:
                issue = links.issues[claim.id][0]
            elif stance.target.kind == "choice" and stance.target.id in part.choice_by_id:
                issue = stance.target.readable
            else:
                issue = ""
            who = stance.holder.who
            if not who or not issue:
                continue
            key = (stance.holder.actor_id, who, issue, ann.coder)
            edge = counts.edges.setdefault(key, [0.0] + [0] * (others + 2))
            if code:
                edge[0] += float(code)
            edge[1 + slot.get(label, others)] += 1
            edge[-1] += 1
    return counts


@pytest.mark.parametrize("seed", [1, 2])
def test_the_counts_equal_the_exports_for_all_coders_and_each(project, seed):
    _random_project(project, seed)
    codebook, actors = project.codebook(), project.actors()
    compared = 0
    for coder in (None, *CODERS, "nobody"):
        data = ExportData(project, coder)
        tallies = _batch_by_batch(data)
        counts = count_actor_stances(project, coder)
        assert counts.labels == tallies.labels
        assert {k: v for k, v in counts.by_actor.items() if v} == {
            k: v for k, v in tallies.by_actor.items() if v
        }
        assert counts.edges == tallies.edges
        assert actor_by_polarity(actors, counts) == actor_by_polarity(data.actors, tallies)
        assert network_table(codebook, counts) == network_table(codebook, tallies)
        compared += len(tallies.edges) + sum(map(len, tallies.by_actor.values()))
    assert compared > 40  # the random project held stances of every coder to compare


def test_the_stances_over_time_from_the_actor_tables_reads_equal_count_stances(project):
    _random_project(project, 3)
    reads = read_stances(project, attribute_ids(project.codebook()))
    counted = stances_by_month(project, reads.stances, reads.polarity)
    assert counted == count_stances(project)
    assert {month for month, _label in counted} == {"2024-05", "2024-06", NO_DATE}


def test_count_stances_counts_a_stance_once_when_another_attribute_takes_its_choices(project):
    """A second stance attribute that takes the polarity's choices: its values are
    not polarities (they were counted as a second stance of that polarity)."""
    _random_project(project, 4)
    codebook = project.codebook()
    stance = codebook.category("stance").id
    polarity = codebook.attribute("stance", "polarity")
    assert polarity is not None
    second = project.add_attribute(
        stance, "second polarity", "reference", targets=["choices:stance.polarity"]
    )
    rng = random.Random(4)
    for ident, _coder, _document in read_stances(project, attribute_ids(codebook)).stances[::2]:
        write_unchecked(
            project, ident, [Value(second.id, choice_id=rng.choice(polarity.choices).id)]
        )
    reads = read_stances(project, attribute_ids(project.codebook()))
    assert reads.stances
    counted = count_stances(project)
    assert counted == stances_by_month(project, reads.stances, reads.polarity)
    assert sum(counted.values()) == len(reads.stances)
