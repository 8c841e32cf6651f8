"""The agreement report: every figure, pooled, per document and per coder pair.

Documents: those in which at least two of the chosen coders made an annotation (a coder
who made none in a document is taken not to have coded it). Units: the coders' spans
matched by ``units.match_units`` once, over all chosen coders; a coder absent from a unit
gives a missing value. Scopes:

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

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from annotator.core.agreement.alpha import krippendorff_alpha
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
from annotator.core.agreement.kappa import cohen_kappa, fleiss_kappa, gwet_ac1, percent_agreement
from annotator.core.agreement.source import AgreementSource
from annotator.core.agreement.unitizing import concatenate, unitizing_alpha
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
) -> tuple[list[CodedSpan], dict[str, dict[str, Hashable]]]:
    """The coders' spans with their compared values (references to annotations still
    unresolved), and each span's value dict by annotation id."""
    codebook = source.codebook
    by_id = {a.id: a for a in codebook.attributes}
    category_of = {c.id: c.key for c in codebook.categories}
    compared = compared_attributes(codebook)
    wanted = {
        a.id: a
        for a in codebook.attributes
        if any(k.key == a.key for k in compared.get(category_of.get(a.category_id, ""), []))
    }
    polarity = codebook.attribute(STANCE, "polarity")
    target = codebook.attribute(STANCE, "target")
    linked: dict[str, tuple[int, int, str, Hashable]] = {}
    spans: list[CodedSpan] = []
    own: dict[str, dict[str, Hashable]] = {}
    for ann in source.annotations:
        if ann.coder not in chosen or ann.document_id not in documents:
            continue
        stored = source.values.get(ann.id, {})
        values: dict[str, Hashable] = {}
        for attribute_id, value in stored.items():
            attribute = wanted.get(attribute_id)
            if attribute is not None:
                values[attribute.key] = raw_value(attribute, value, source.mention_actor)
        if ann.category == STANCE and polarity is not None and target is not None:
            aim = stored.get(target.id)
            if aim is not None and aim.annotation_id is not None:
                place = (ann.start, ann.end, ann.id)
                earlier = linked.get(aim.annotation_id)
                if earlier is None or place < earlier[:3]:
                    pol = stored.get(polarity.id)
                    linked[aim.annotation_id] = (
                        *place,
                        raw_value(by_id[polarity.id], pol, {}) if pol is not None else None,
                    )
        own[ann.id] = values
        spans.append(
            CodedSpan(ann.id, ann.coder, ann.document_id, ann.category, ann.start, ann.end, values)
        )
    if polarity is not None:
        for span in spans:
            if span.category == CLAIM:
                found = linked.get(span.annotation_id)
                own[span.annotation_id][LINKED_POLARITY] = found[3] if found else None
    return spans, own


def _resolve(units: list[Unit], own: dict[str, dict[str, Hashable]], claims: bool) -> None:
    """References to annotations become the unit the annotation is in; claims get their
    claim record."""
    unit_of = {s.annotation_id: u.key for u in units for s in u.spans.values()}
    for values in own.values():
        for key, value in values.items():
            if isinstance(value, AnnotationRef):
                found = unit_of.get(str(value))
                values[key] = "unit:" + found if found else "annotation:" + str(value)
    if not claims:
        return
    for unit in units:
        if unit.category != CLAIM:
            continue
        for span in unit.spans.values():
            values = own[span.annotation_id]
            parts = (values.get("claimant"), values.get("issue"), values.get(LINKED_POLARITY))
            values[CLAIM_RECORD] = None if all(p is None for p in parts) else parts


class _Scope:
    def __init__(self, kind: str, document_id: str, coders: tuple[str, ...]) -> None:
        self.kind, self.document_id, self.coders = kind, document_id, coders


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
    coded_by = {d: frozenset(c) for d, c in coded.items() if len(c) >= 2}
    documents = [d.id for d in source.documents if d.id in coded_by]
    progress.step(0, 3, "Matching units")
    spans, own = _spans(source, chosen_set, set(documents))
    units = match_units(spans, chosen, rule)
    compared = compared_attributes(source.codebook)
    _resolve(units, own, CLAIM in compared)
    report = AgreementReport(chosen, rule, documents, units, [], compared, coded_by, source)
    progress.step(1, 3, "Computing agreement")
    scopes = [_Scope(POOLED, "", chosen)]
    if len(chosen) > 2:
        scopes += [_Scope(PAIR, "", pair) for pair in combinations(chosen, 2)]
    scopes += [_Scope(DOCUMENT, d, tuple(c for c in chosen if c in coded_by[d])) for d in documents]
    by_document: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        by_document[unit.document_id].append(unit)
    codes = Codes(source.codebook)
    lengths = {d.id: d.length for d in source.documents}
    for n, scope in enumerate(scopes):
        if n % 50 == 0:
            progress.check()
        if scope.kind == DOCUMENT:
            docs = [scope.document_id]
        else:
            need = 2 if scope.kind == POOLED else len(scope.coders)
            docs = [d for d in documents if len(coded_by[d] & set(scope.coders)) >= need]
        report.figures += _scope_figures(
            scope, docs, by_document, compared, codes, lengths, coded_by
        )
    progress.step(3, 3, "Done")
    return report


def _scope_figures(
    scope: _Scope,
    docs: list[str],
    by_document: dict[str, list[Unit]],
    compared: dict[str, list[Compared]],
    codes: Codes,
    lengths: dict[str, int],
    coded_by: dict[str, frozenset[str]],
) -> list[Figure]:
    coders = scope.coders
    wanted = set(coders)
    per_category: dict[str, list[tuple[Unit, list[CodedSpan | None]]]] = defaultdict(list)
    for d in docs:
        for unit in by_document.get(d, ()):
            row = [unit.spans.get(c) for c in coders]
            if any(s is not None for s in row):
                per_category[unit.category].append((unit, row))
    # Unitizing: over the documents every coder of the scope coded.
    full = [d for d in docs if wanted <= coded_by[d]]
    laid = [(d, lengths[d]) for d in full]
    fullset = set(full)
    figures: list[Figure] = []

    def figure(
        category: str, attribute: str, measure: str, level: str, value: float | None, paired: int
    ) -> Figure:
        total = len(per_category.get(category, ()))
        return Figure(
            scope.kind,
            scope.document_id,
            category,
            attribute,
            measure,
            level,
            coders,
            value,
            paired,
            total,
        )

    for category, rows in compared.items():
        units = per_category.get(category, [])
        if not units:
            continue
        matched = sum(1 for _u, row in units if sum(s is not None for s in row) >= 2)
        figures.append(figure(category, "", MATCHED, "", matched / len(units), matched))
        by_coder: list[dict[str, list[tuple[int, int]]]] = [defaultdict(list) for _ in coders]
        matched_full = 0
        for unit, row in units:
            if unit.document_id not in fullset:
                continue
            matched_full += sum(s is not None for s in row) >= 2
            for i, span in enumerate(row):
                if span is not None:
                    by_coder[i][unit.document_id].append((span.start, span.end))
        continuum = [concatenate(laid, spans)[0] for spans in by_coder]
        length = sum(size for _d, size in laid)
        result = unitizing_alpha(continuum, length)
        figures.append(figure(category, "", UNITIZING, "", result.value, matched_full))
        for thing in rows:
            raw = [
                [None if s is None else s.values.get(thing.key) for s in row] for _u, row in units
            ]
            for level in thing.levels:
                values = [[codes.at(level, v) for v in row] for row in raw]
                alpha = krippendorff_alpha(values, level)
                figures.append(figure(category, thing.key, ALPHA, level, alpha.value, alpha.units))
                if level != "nominal":
                    continue
                agree = percent_agreement(values)
                figures.append(
                    figure(category, thing.key, PERCENT, level, agree.value, agree.units)
                )
                if len(coders) == 2:
                    kappa = cohen_kappa((row[0], row[1]) for row in values)
                    figures.append(
                        figure(category, thing.key, COHEN, level, kappa.value, kappa.units)
                    )
                else:
                    kappa = fleiss_kappa(values)
                    figures.append(
                        figure(category, thing.key, FLEISS, level, kappa.value, kappa.units)
                    )
                ac1 = gwet_ac1(values)
                figures.append(figure(category, thing.key, AC1, level, ac1.value, ac1.units))
    return figures


def coders_text(coders: Iterable[str]) -> str:
    return " | ".join(coders)
