"""The agreement report: every figure, pooled, per document and per coder pair.

Documents: those coded by at least two of the chosen coders. A coder coded a document
when the lead's assignments (Team ▸ Prepare Coder Copies) gave it to that coder, so that
a coder given it who marked nothing there disagrees by omission, or when the coder made
an annotation in it (in a project without assignments, the only rule). The default
coders: every coder with an annotation or an assignment, never the adjudicated set.
Units: the coders' spans matched by ``units.match_units`` once, over all chosen coders; a
coder absent from a unit gives a missing value. Scopes:

- ``pooled``: all chosen coders over all those documents (the figure to publish; figures
  are computed from the pooled units, not averaged over documents);
- ``document``: the coders who coded that document, over it alone;
- ``pair``: two coders over the documents both coded (only with more than two coders).

Per scope and category: the share of units matched across coders, Krippendorff's alpha_u
(over the documents every coder of the scope coded, laid end to end in project order);
per compared attribute (``compared.py``): alpha at each level, and on nominal values
percent agreement, Cohen's kappa (two coders) or Fleiss' kappa (more), and Gwet's AC1.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotator.core.adjudication import ADJUDICATED
from annotator.core.agreement.alpha import Level
from annotator.core.agreement.compared import (
    CLAIM,
    CLAIM_RECORD,
    LINKED_POLARITY,
    STANCE,
    AnnotationRef,
    Codes,
    Compared,
    compared_attributes,
    raw_value,
)
from annotator.core.agreement.paired import TwoCoders
from annotator.core.agreement.source import AgreementSource
from annotator.core.agreement.tally import Coincidences, NominalTally
from annotator.core.agreement.unitizing import (
    Sections,
    alpha_from_sections,
    join_overlaps,
    pair_sums,
    sections_of,
)
from annotator.core.agreement.units import DEFAULT_RULE, CodedSpan, MatchRule, Unit, match_units
from annotator.core.progress import Progress

POOLED, DOCUMENT, PAIR = "pooled", "document", "pair"
MATCHED = "units_matched"
UNITIZING = "unitizing_alpha"
ALPHA = "krippendorff_alpha"
PERCENT = "percent_agreement"
COHEN = "cohen_kappa"
FLEISS = "fleiss_kappa"
AC1 = "gwet_ac1"
MEASURES = (MATCHED, UNITIZING, ALPHA, PERCENT, COHEN, FLEISS, AC1)


@dataclass(frozen=True)
class Figure:
    scope: str  # POOLED, DOCUMENT or PAIR
    document_id: str  # for DOCUMENT, else ""
    category: str
    attribute: str  # "" for MATCHED and UNITIZING
    measure: str
    level: str  # alpha's level, "nominal" for the kappas, "" otherwise
    coders: tuple[str, ...]
    value: float | None  # None: not defined (too few units, or no variation)
    units_paired: int  # units with values of two or more coders
    units_total: int  # units of the category in the scope, matched or not


@dataclass
class AgreementReport:
    coders: tuple[str, ...]
    rule: MatchRule
    documents: list[str]  # ids of the documents coded by two or more chosen coders
    units: list[Unit]
    figures: list[Figure]
    compared: dict[str, list[Compared]]
    coded_by: dict[str, frozenset[str]]  # document id -> chosen coders who coded it
    source: AgreementSource = field(repr=False)

    def pooled(self) -> list[Figure]:
        return [f for f in self.figures if f.scope == POOLED]

    def units_for(self, figure: Figure) -> list[Unit]:
        """The units of a figure's scope and category, each restricted to its coders."""
        coders = set(figure.coders)
        need = len(coders) if figure.scope == PAIR else 2
        found = []
        for unit in self.units:
            if unit.category != figure.category:
                continue
            if figure.document_id and unit.document_id != figure.document_id:
                continue
            if len(self.coded_by.get(unit.document_id, frozenset()) & coders) < need:
                continue
            spans = {c: s for c, s in unit.spans.items() if c in coders}
            if spans:
                found.append(Unit(unit.document_id, unit.category, spans))
        return found


def _chosen(source: AgreementSource, coders: Sequence[str] | None) -> tuple[str, ...]:
    if not coders:
        coding = {a.coder for a in source.annotations}
        coding.update(c for group in source.assigned.values() for c in group)
        coding.discard(ADJUDICATED)
        return tuple(c for c in source.coders if c in coding)
    unknown = [c for c in coders if c not in source.coders]
    if unknown:
        raise ValueError(
            f"No coder named {', '.join(unknown)} in this project "
            f"(coders: {', '.join(source.coders) or 'none'})"
        )
    return tuple(dict.fromkeys(coders))


def _spans(
    source: AgreementSource, chosen: frozenset[str], documents: set[str]
) -> tuple[
    list[CodedSpan], dict[str, dict[str, Hashable]], list[tuple[dict[str, Hashable], str, str]]
]:
    """The coders' spans with their compared values (references to annotations still
    unresolved), each span's value dict by annotation id, and the values that hold a
    reference to an annotation."""
    codebook = source.codebook
    category_of = {c.id: c.key for c in codebook.categories}
    compared = compared_attributes(codebook)
    wanted = {
        a.id: (a.key, a.type)
        for a in codebook.attributes
        if any(k.key == a.key for k in compared.get(category_of.get(a.category_id, ""), []))
    }
    polarity = codebook.attribute(STANCE, "polarity")
    target = codebook.attribute(STANCE, "target")
    linking = polarity is not None and target is not None
    polarity_id = polarity.id if polarity is not None else None
    target_id = target.id if target is not None else None
    stored: dict[str, dict[str, Hashable]] = {}
    aims: dict[str, str] = {}  # stance annotation id -> the annotation it targets
    polarities: dict[str, Hashable] = {}  # stance annotation id -> its polarity
    mentions = source.mention_actor
    refs: list[tuple[dict[str, Hashable], str, str]] = []  # (values, key, annotation id)
    for row in source.values:
        annotation_id, attribute_id = row[0], row[1]
        if linking:
            if attribute_id == target_id and row[5] is not None:
                aims[annotation_id] = row[5]
            elif attribute_id == polarity_id:
                polarities[annotation_id] = raw_value(polarity.type, row, mentions)  # type: ignore[union-attr]
        found = wanted.get(attribute_id)
        if found is None:
            continue
        values = stored.get(annotation_id)
        if values is None:
            values = stored[annotation_id] = {}
        key, kind = found
        if kind == "choice":
            values[key] = row[2]
            continue
        value = values[key] = raw_value(kind, row, mentions)
        if type(value) is AnnotationRef:
            refs.append((values, key, value))
    linked: dict[str, tuple[int, int, str, Hashable]] = {}
    spans: list[CodedSpan] = []
    own: dict[str, dict[str, Hashable]] = {}
    for ident, document_id, coder, category, start, end in source.annotations:
        if coder not in chosen or document_id not in documents:
            continue
        values = stored.get(ident)
        if values is None:
            values = {}
        if category == STANCE and linking:
            aim = aims.get(ident)
            if aim is not None:
                place = (start, end, ident)
                earlier = linked.get(aim)
                if earlier is None or place < earlier[:3]:
                    linked[aim] = (*place, polarities.get(ident))
        own[ident] = values
        spans.append(CodedSpan(ident, coder, document_id, category, start, end, values))
    if polarity is not None:
        for span in spans:
            if span.category == CLAIM:
                link = linked.get(span.annotation_id)
                own[span.annotation_id][LINKED_POLARITY] = link[3] if link else None
    return spans, own, refs


def _resolve(
    units: list[Unit],
    own: dict[str, dict[str, Hashable]],
    refs: list[tuple[dict[str, Hashable], str, str]],
    claims: bool,
) -> None:
    """References to annotations (``refs``: the values holding one) become the unit the
    annotation is in; claims get their claim record."""
    unit_of = {s.annotation_id: u for u in units for s in u.spans.values()}
    for values, key, ref in refs:
        found = unit_of.get(ref)
        values[key] = "unit:" + found.key if found else "annotation:" + str(ref)
    if not claims:
        return
    for unit in units:
        if unit.category != CLAIM:
            continue
        for span in unit.spans.values():
            values = own[span.annotation_id]
            parts = (values.get("claimant"), values.get("issue"), values.get(LINKED_POLARITY))
            values[CLAIM_RECORD] = None if all(p is None for p in parts) else parts


Row = tuple[Hashable, ...]  # one value per coder (None: no span, or no value)


@dataclass
class _Tallies:
    """Per category and document: which coders have a span (``presence``, identical units
    counted once) and, per compared attribute, the coders' values unit by unit (``rows``).
    Every measure is computed from these counts, so a scope that pools documents adds
    them up."""

    presence: dict[str, Counter[tuple[bool, ...]]] = field(default_factory=dict)
    rows: dict[str, dict[str, list[Row]]] = field(default_factory=dict)
    # Per compared attribute, its values numbered as they come (rows hold the numbers,
    # quick to hash and compare; None stays None).
    numbers: dict[str, dict[Hashable, int | None]] = field(default_factory=dict)
    # Per document, each chosen coder's spans (start, end), for unitizing; and per
    # document and the coders who coded it, their joined units and the pairs' summed d2.
    places: dict[str, list[list[tuple[int, int]]]] = field(default_factory=dict)
    joined: dict[tuple[str, tuple[str, ...]], list[list[tuple[int, int]]]] = field(
        default_factory=dict
    )
    pair_sums: dict[str, dict[tuple[int, int], int]] = field(default_factory=dict)
    # Each coder's units and gaps on a continuum of documents (for D_e), by coder and
    # documents: the pooled figure and the pairs share them.
    sections: dict[tuple[str, tuple[str, ...]], Sections] = field(default_factory=dict)


def _tally(
    units: list[Unit], chosen: tuple[str, ...], compared: dict[str, list[Compared]]
) -> dict[str, _Tallies]:
    tallies: dict[str, _Tallies] = {}
    width = range(len(chosen))
    for unit in units:
        tally = tallies.get(unit.category)
        if tally is None:
            tally = tallies[unit.category] = _Tallies()
            for thing in compared.get(unit.category, ()):
                tally.rows[thing.key] = {}
                tally.numbers[thing.key] = {None: None}
        d = unit.document_id
        got = unit.spans.get
        spans = [got(c) for c in chosen]
        places = tally.places.get(d)
        if places is None:
            places = tally.places[d] = [[] for _ in width]
            tally.presence[d] = Counter()
        for i in width:
            span = spans[i]
            if span is not None:
                places[i].append((span.start, span.end))
        tally.presence[d][tuple([s is not None for s in spans])] += 1
        if not tally.rows:
            continue
        values = [None if s is None else s.values for s in spans]
        for key, per_doc in tally.rows.items():
            number = tally.numbers[key]
            found = per_doc.get(d)
            if found is None:
                found = per_doc[d] = []
            found.append(
                tuple(
                    [
                        None if v is None else number.setdefault(v.get(key), len(number))
                        for v in values
                    ]
                )
            )
    return tallies


def _combine(
    per_doc: dict[str, Counter[Row]], docs: list[str], index: tuple[int, ...] | None
) -> Counter[Row]:
    """The counts of ``docs`` added up, each row cut to the coders at ``index`` (None: all);
    rows left with no value at all are dropped."""
    total: Counter[Row] = Counter()
    for d in docs:
        counter = per_doc.get(d)
        if not counter:
            continue
        if index is None:
            total.update(counter)
            continue
        for row, n in counter.items():
            cut = tuple(row[i] for i in index)
            if any(v is not None for v in cut):
                total[cut] += n
    return total


class _Scope:
    def __init__(
        self, kind: str, document_id: str, coders: tuple[str, ...], chosen: tuple[str, ...]
    ) -> None:
        self.kind, self.document_id, self.coders = kind, document_id, coders
        self.index = None if coders == chosen else tuple(chosen.index(c) for c in coders)
        self.docs: list[str] = []
        self.figures: list[Figure] = []

    def add(
        self,
        category: str,
        attribute: str,
        measure: str,
        level: str,
        value: float | None,
        paired: int,
        total: int,
    ) -> None:
        self.figures.append(
            Figure(
                self.kind,
                self.document_id,
                category,
                attribute,
                measure,
                level,
                self.coders,
                value,
                paired,
                total,
            )  # fmt: skip
        )


def build_report(
    source: AgreementSource,
    coders: Sequence[str] | None = None,
    rule: MatchRule = DEFAULT_RULE,
    progress: Progress | None = None,
) -> AgreementReport:
    """Every figure of the report (see the module)."""
    progress = progress or Progress()
    chosen = _chosen(source, coders)
    chosen_set = frozenset(chosen)
    coded: dict[str, set[str]] = defaultdict(set)
    for ann in source.annotations:
        if ann.coder in chosen_set:
            coded[ann.document_id].add(ann.coder)
    for document_id, given in source.assigned.items():
        coded[document_id].update(given & chosen_set)
    coded_by = {d: frozenset(c) for d, c in coded.items() if len(c) >= 2}
    documents = [d.id for d in source.documents if d.id in coded_by]
    progress.step(0, 3, "Matching units")
    spans, own, refs = _spans(source, chosen_set, set(documents))
    units = match_units(spans, chosen, rule)
    compared = compared_attributes(source.codebook)
    _resolve(units, own, refs, CLAIM in compared)
    report = AgreementReport(chosen, rule, documents, units, [], compared, coded_by, source)
    progress.step(1, 3, "Computing agreement")
    tallies = _tally(units, chosen, compared)
    scopes = [_Scope(POOLED, "", chosen, chosen)]
    if len(chosen) > 2:
        scopes += [_Scope(PAIR, "", pair, chosen) for pair in combinations(chosen, 2)]
    scopes += [
        _Scope(DOCUMENT, d, tuple(c for c in chosen if c in coded_by[d]), chosen) for d in documents
    ]
    for scope in scopes:
        if scope.kind == DOCUMENT:
            scope.docs = [scope.document_id]
        else:
            need = 2 if scope.kind == POOLED else len(scope.coders)
            wanted = set(scope.coders)
            scope.docs = [d for d in documents if len(coded_by[d] & wanted) >= need]
    codes = Codes(source.codebook)
    lengths = {d.id: d.length for d in source.documents}
    for category, things in compared.items():
        progress.check()
        tally = tallies.get(category)
        if tally is not None:
            _category_figures(category, things, tally, scopes, codes, lengths, coded_by, chosen)
    report.figures = [f for scope in scopes for f in scope.figures]
    progress.step(3, 3, "Done")
    return report


def _doc_stats(
    rows: list[Row], level: Level, coded: Mapping[Hashable, Hashable]
) -> NominalTally | Coincidences:
    """The counts of one document's units at ``level``, each distinct row of values
    counted once, weighted, in the order the rows first come; ``coded``: a value's code
    at ordinal or interval level."""
    if level == "nominal":
        nominal = NominalTally()
        nominal.add_rows(Counter(rows).items())
        return nominal
    tally = Coincidences()
    add = tally.add
    for row, n in Counter(rows).items():
        converted = [coded[v] for v in row]
        add([v for v in converted if v is not None], n)
    return tally


def _column(per_doc: dict[str, list[Row]], docs: Iterable[str], i: int) -> list[Hashable]:
    """One coder's values over ``docs``' units, documents in the order given."""
    return [row[i] for d in docs for row in per_doc.get(d, ())]


def _merged(
    tallies: Iterable[NominalTally | Coincidences], level: Level
) -> NominalTally | Coincidences:
    total: NominalTally | Coincidences = NominalTally() if level == "nominal" else Coincidences()
    for tally in tallies:
        total.merge(tally)  # type: ignore[arg-type]
    return total


def _category_figures(
    category: str,
    things: list[Compared],
    tally: _Tallies,
    scopes: list[_Scope],
    codes: Codes,
    lengths: dict[str, int],
    coded_by: dict[str, frozenset[str]],
    chosen: tuple[str, ...],
) -> None:
    """The category's figures, appended to each scope's."""
    live: list[tuple[_Scope, int]] = []
    for scope in scopes:
        presence = _combine(tally.presence, scope.docs, scope.index)  # type: ignore[arg-type]
        total = sum(n for row, n in presence.items() if any(row))
        if not total:
            continue
        matched = sum(n for row, n in presence.items() if sum(map(bool, row)) >= 2)
        live.append((scope, total))
        scope.add(category, "", MATCHED, "", matched / total, matched, total)
        result, paired = _unitizing(scope, tally, lengths, coded_by, chosen, matched)
        scope.add(category, "", UNITIZING, "", result, paired, total)
    for thing in things:
        per_doc = tally.rows.get(thing.key, {})
        numbers = tally.numbers.get(thing.key, {})
        columns: dict[tuple[int, tuple[str, ...]], list[Hashable]] = {}
        pairs: dict[tuple[int, int, tuple[str, ...]], TwoCoders] = {}
        for level in thing.levels:
            coded: dict[Hashable, Hashable] = {n: codes.at(level, v) for v, n in numbers.items()}
            by_doc = {d: _doc_stats(rows, level, coded) for d, rows in per_doc.items()}
            for scope, total in live:
                two = len(scope.coders) == 2
                both: TwoCoders | None = None
                if scope.kind == PAIR or (two and level == "nominal"):
                    # Two coders' columns of values, over the scope's documents in order.
                    i, j = scope.index or (0, 1)
                    docs = tuple(scope.docs)
                    both = pairs.get((i, j, docs))
                    if both is None:
                        for k in (i, j):
                            if (k, docs) not in columns:
                                columns[(k, docs)] = _column(per_doc, docs, k)
                        both = TwoCoders(columns[(i, docs)], columns[(j, docs)])
                        pairs[(i, j, docs)] = both
                    stats: NominalTally | Coincidences = (
                        both.nominal_tally() if level == "nominal" else both.coincidences(coded)
                    )
                elif scope.kind == DOCUMENT:  # the document's own counts, as they are
                    stats = by_doc.get(scope.document_id) or _merged((), level)
                else:
                    stats = _merged((by_doc[d] for d in scope.docs if d in by_doc), level)

                def add(measure: str, value: float | None, paired: int) -> None:
                    scope.add(category, thing.key, measure, level, value, paired, total)  # noqa: B023

                if isinstance(stats, Coincidences):
                    alpha = stats.alpha(level)
                    add(ALPHA, alpha.value, alpha.units)
                    continue
                alpha = stats.alpha()
                add(ALPHA, alpha.value, alpha.units)
                agree = stats.percent()
                add(PERCENT, agree.value, agree.units)
                if two:
                    assert both is not None  # two coders' nominal figures: counted whole
                    kappa = both.cohen_kappa()
                    add(COHEN, kappa.value, kappa.units)
                else:
                    kappa = stats.fleiss()
                    add(FLEISS, kappa.value, kappa.units)
                ac1 = stats.ac1()
                add(AC1, ac1.value, ac1.units)


def _joined(
    tally: _Tallies, d: str, coders: tuple[str, ...], chosen: tuple[str, ...]
) -> list[list[tuple[int, int]]]:
    """Each coder's joined units of the category in one document (cached)."""
    key = (d, coders)
    found = tally.joined.get(key)
    if found is None:
        places = tally.places.get(d)
        found = tally.joined[key] = [
            join_overlaps(places[chosen.index(c)]) if places else [] for c in coders
        ]
    return found


def _unitizing(
    scope: _Scope,
    tally: _Tallies,
    lengths: dict[str, int],
    coded_by: dict[str, frozenset[str]],
    chosen: tuple[str, ...],
    matched_in_scope: int,
) -> tuple[float | None, int]:
    """alpha_u over the documents every coder of the scope coded, laid end to end, and
    the units matched there (``matched_in_scope`` when those are all the scope's). The
    pairs' disagreements are summed per document once (each document with all the chosen
    coders who coded it) and reused by every scope; so are each coder's lengths of units
    and gaps over the same documents."""
    wanted = set(scope.coders)
    full = tuple(d for d in scope.docs if wanted <= coded_by[d])
    index = scope.index
    observed = 0
    matched = 0
    every = len(full) == len(scope.docs)
    for d in full:
        coders = tuple(c for c in chosen if c in coded_by[d])
        joined = _joined(tally, d, coders, chosen)
        sums = tally.pair_sums.get(d)
        if sums is None:
            sums = tally.pair_sums[d] = pair_sums(joined, lengths[d])
        at = [coders.index(c) for c in scope.coders]
        observed += sum(sums[(a, b)] for n, a in enumerate(at) for b in at[n + 1 :])
        if every:
            continue
        for row, n in tally.presence.get(d, {}).items():
            if index is not None:
                row = tuple(row[i] for i in index)
            if sum(row) >= 2:
                matched += n
    laid = []
    for coder in scope.coders:
        found = tally.sections.get((coder, full))
        if found is None:
            k = chosen.index(coder)
            found = tally.sections[(coder, full)] = sections_of(
                (join_overlaps(tally.places[d][k]) if d in tally.places else [], lengths[d])
                for d in full
            )
        laid.append(found)
    result = alpha_from_sections(observed, laid)
    return result.value, matched_in_scope if every else matched


def coders_text(coders: Iterable[str]) -> str:
    return " | ".join(coders)
