"""Coded segments across documents: filters that combine, orders, pages."""

from __future__ import annotations

from annotator.core.codebook import Value
from annotator.core.segment_filter import CODER, QUOTE, SegmentFilter
from annotator.store.segments import SegmentReader
from annotator.store.statistics import count_annotations, count_stances
from tests.exporting.coded_example import build, span


def _reader(project):
    return SegmentReader(project.path, project.codebook())


def test_every_annotation_in_project_order_with_context_and_values(project):
    ex = build(project)
    reader = _reader(project)
    assert reader.apply(SegmentFilter()) == 4
    rows = reader.page(0, 10)
    assert [r.quote for r in rows] == [
        "Putin",
        "the treaty guarantees security in the region",
        "rejected it outright",
        "welcomed the talks",
    ]
    oppose = next(r for r in rows if r.annotation_id == ex.oppose.id)
    polarity = project.codebook().attribute("stance", "polarity")
    holder = project.codebook().attribute("stance", "holder")
    assert oppose.values[polarity.id] == "oppose"
    assert oppose.values[holder.id] == "Vladimir Putin"  # through the mention
    assert oppose.before.endswith("in the region. Seoul") and oppose.after.startswith(
        ". Washington"
    )
    assert (oppose.coder, oppose.category, oppose.document) == ("Bo", "stance", ex.doc.title)
    reader.close()


def test_filters_combine_actor_polarity_and_coder(project):
    ex = build(project)
    attr = project.codebook().attribute
    oppose = next(c for c in attr("stance", "polarity").choices if c.label == "oppose")
    # Another oppose stance, held by Seoul directly: not Putin's.
    seoul = project.add_actor("Seoul")
    project.add_annotation(
        ex.doc.id,
        *span(project, ex.doc, "Analysts doubt it"),
        "stance",
        coder="Bo",
        values=[
            Value(attr("stance", "polarity").id, choice_id=oppose.id),
            Value(attr("stance", "holder").id, actor_id=seoul.id),
        ],
    )
    reader = _reader(project)
    assert reader.apply(SegmentFilter(choices=(oppose.id,))) == 2
    both = SegmentFilter(categories=("stance",), choices=(oppose.id,), actor=ex.putin.id)
    assert [r.annotation_id for r in reader.page(0, 10)] != [ex.oppose.id]
    assert reader.apply(both) == 1
    assert [r.annotation_id for r in reader.page(0, 10)] == [ex.oppose.id]
    assert reader.apply(SegmentFilter(actor=seoul.id)) == 1
    assert reader.apply(SegmentFilter(coders=("Ana",))) == 2
    assert reader.apply(SegmentFilter(text="WELCOMED")) == 1
    assert reader.apply(SegmentFilter(text="%")) == 0  # LIKE's wildcards are literal
    issue = attr("claim", "issue").choices[0]
    # The claim itself and both stances that target it.
    assert reader.apply(SegmentFilter(issue=issue.id)) == 3
    assert reader.apply(SegmentFilter(sources=("Yonhap",), date_from="2024-06")) == 5
    assert reader.apply(SegmentFilter(date_to="2024-05")) == 0
    assert reader.apply(SegmentFilter(statuses=("done",))) == 0
    reader.close()


def test_sorted_by_columns_and_paged(project):
    build(project)
    reader = _reader(project)
    reader.apply(SegmentFilter(sort=QUOTE))
    quotes = [r.quote for r in reader.page(0, 10)]
    assert quotes == sorted(quotes, key=str.casefold)
    reader.apply(SegmentFilter(sort=CODER, descending=True))
    assert [r.coder for r in reader.page(0, 10)][0] == "Bo"
    polarity = project.codebook().attribute("stance", "polarity")
    reader.apply(SegmentFilter(sort=polarity.id, descending=True))
    first = reader.page(0, 2)
    assert [r.values.get(polarity.id) for r in first] == ["support", "oppose"]
    assert [r.position for r in reader.page(2, 5)] == [2, 3]
    assert reader.page(4, 5) == []
    reader.close()


def test_saved_filter_reads_back_and_refuses_a_wrong_shape():
    f = SegmentFilter(categories=("stance",), variables=(("v1", "x"),), incomplete=True)
    assert SegmentFilter.from_json(f.to_json()) == f
    assert SegmentFilter().is_empty() and not f.is_empty()
    try:
        SegmentFilter.from_json('{"categories": [1, 2]}')
    except ValueError:
        pass
    else:
        raise AssertionError("a filter with numbers for names was read")


def test_counts_by_category_coder_document_source_month(project):
    ex = build(project)
    other = project.import_text("Nothing here yet.", title="Blank")
    counts = count_annotations(project)
    assert counts.by_category == {"actor": 1, "claim": 1, "stance": 2}
    assert counts.by_coder == {"Ana": 2, "Bo": 2}
    assert counts.by_document == {ex.doc.id: 4, other.id: 0}
    assert counts.by_source["Yonhap"] == 4
    assert counts.by_month["2024-06"] == 4
    assert count_stances(project) == {("2024-06", "oppose"): 1, ("2024-06", "support"): 1}


def test_project_order_reversed_and_positions_of_rows(project):
    ex = build(project)
    later = project.import_text("Putin again.", title="Later")
    project.add_annotation(later.id, 0, 5, "actor", coder="Ana")
    reader = _reader(project)
    assert reader.apply(SegmentFilter(descending=True)) == 5
    rows = reader.page(0, 10)
    assert [r.document_id for r in rows] == [later.id] + [ex.doc.id] * 4
    assert [r.position for r in rows] == [0, 1, 2, 3, 4]
    assert reader.position_of(ex.mention.id) == 4
    reader.apply(SegmentFilter(categories=("stance",)))
    assert reader.position_of(ex.support.id) == 1
    assert reader.position_of(ex.mention.id) == -1  # filtered out
    # Rows across two documents on one page, read from where the page starts.
    reader.apply(SegmentFilter(coders=("Ana",)))
    assert [r.quote for r in reader.page(1, 5)] == [
        "the treaty guarantees security in the region",
        "Putin",
    ]
    reader.close()


def test_rows_follow_a_change_once_read_again(project):
    ex = build(project)
    reader = _reader(project)
    assert reader.apply(SegmentFilter(categories=("stance",))) == 2
    project.delete_annotation(ex.support.id)
    assert reader.refresh() == 1
    reader.close()


def test_a_filter_by_values_or_text_pages_and_places_rows_across_documents(project):
    ex = build(project)
    attr = project.codebook().attribute
    oppose = next(c for c in attr("stance", "polarity").choices if c.label == "oppose")
    text = "Tokyo rejected the treaty. Seoul rejected it too."
    later = project.import_text(text, title="Later")
    ids = []
    for quote in ("Tokyo rejected the treaty", "Seoul rejected it too"):
        start = text.index(quote)
        ids.append(
            project.add_annotation(
                later.id,
                start,
                start + len(quote),
                "stance",
                coder="Ana",
                values=[Value(attr("stance", "polarity").id, choice_id=oppose.id)],
            ).id
        )
    reader = _reader(project)
    for f in (SegmentFilter(choices=(oppose.id,)), SegmentFilter(text="rejected")):
        assert reader.apply(f) == 3
        assert [r.annotation_id for r in reader.page(0, 10)] == [ex.oppose.id, *ids]
        assert [r.annotation_id for r in reader.page(1, 5)] == ids  # from where it starts
        assert reader.position_of(ids[1]) == 2
        assert reader.position_of(ex.support.id) == -1
        backwards = SegmentFilter(choices=f.choices, text=f.text, descending=True)
        assert reader.apply(backwards) == 3
        assert [r.annotation_id for r in reader.page(0, 10)] == [*reversed(ids), ex.oppose.id]
        assert reader.position_of(ex.oppose.id) == 2
        only_first = SegmentFilter(choices=f.choices, text=f.text, sources=(ex.doc.source,))
        assert reader.apply(only_first) == 1
        assert reader.position_of(ex.oppose.id) == 0 and reader.position_of(ids[0]) == -1
    reader.close()


def test_the_context_either_side_is_whole_words(project):
    """At most 60 characters either side, cut between words (not inside one); a
    script written without spaces is cut where the 60 characters end."""
    words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima"
    korean = "가나다라마바사아자차" * 8
    text = f"{words} QUOTE {words}\n{korean}QUOTE2{korean}"
    doc = project.import_text(text, title="Context")
    for start, quote in ((text.index(" QUOTE ") + 1, "QUOTE"), (text.index("QUOTE2"), "QUOTE2")):
        project.add_annotation(doc.id, start, start + len(quote), "actor", coder="Ana")
    reader = _reader(project)
    reader.apply(SegmentFilter())
    latin, hangul = reader.page(0, 10)
    reader.close()
    # The words wholly inside the 60 characters either side ("words " and " words").
    assert latin.before == "delta echo foxtrot golf hotel india juliet kilo lima"
    assert latin.after == "alpha bravo charlie delta echo foxtrot golf hotel india"
    assert hangul.before == korean[-60:] and hangul.after == korean[:60]
