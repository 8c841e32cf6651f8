"""Team coding without a database: who codes what, and how a merge decides.

The lead deals documents out to coders (:func:`deal_documents`), everyone
getting a reliability sample drawn with a recorded seed. A merge compares three
states of each annotation by its digest (:func:`annotation_digest`): the coder's
copy, the lead's project, and the version last merged (the base). :func:`decide`
is the whole rule; the store applies what it says.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# The state of an annotation that was deleted (in the copy, in the lead's project or
# at the last merge); ``None`` is an annotation never seen there.
DELETED = "deleted"


@dataclass(frozen=True)
class Plan:
    """Which documents each coder gets: ``sample`` (coded by everyone) and the rest,
    dealt out. ``seed`` drew the sample; ``percent`` is what was asked for."""

    coders: tuple[str, ...]
    documents: dict[str, tuple[str, ...]]  # coder -> document ids, in project order
    sample: frozenset[str]
    seed: int
    percent: float | None

    def record(self) -> str:
        """The plan as JSON, as the lead's project keeps it."""
        return json.dumps(
            {
                "coders": list(self.coders),
                "seed": self.seed,
                "percent": self.percent,
                "sample": sorted(self.sample),
            },
            sort_keys=True,
        )


def coder_names(text: str) -> tuple[str, ...]:
    """``"Ana, Ben"`` as names: stripped, none empty, none twice (case ignored)."""
    names = [n.strip() for n in text.split(",")]
    names = [n for n in names if n]
    if not names:
        raise ValueError("Name at least one coder.")
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise ValueError(f"The coder “{name}” is named twice.")
        seen.add(name.casefold())
    return tuple(names)


def deal_documents(
    document_ids: Sequence[str],
    coders: Sequence[str],
    *,
    percent: float | None = None,
    sample: Iterable[str] | None = None,
    seed: int = 0,
) -> Plan:
    """Everything for everyone (no ``percent`` and no ``sample``), or a split: the
    sample (``percent`` of the documents drawn with ``seed``, at least one, or the
    ``sample`` ids given) for every coder, the other documents dealt out in turn in
    project order. The same arguments always give the same plan."""
    coders = tuple(coders)
    if not coders:
        raise ValueError("Name at least one coder.")
    order = list(document_ids)
    if percent is None and sample is None:
        return Plan(coders, {c: tuple(order) for c in coders}, frozenset(order), seed, None)
    if sample is not None:
        chosen = set(sample)
        unknown = chosen - set(order)
        if unknown:
            raise ValueError(f"No document “{sorted(unknown)[0]}” in this project.")
    else:
        assert percent is not None
        if not 0 < percent <= 100:
            raise ValueError("The sample is a percentage above 0 and at most 100.")
        count = min(len(order), max(1, math.ceil(len(order) * percent / 100)))
        chosen = set(random.Random(seed).sample(sorted(order), count))
    rest = [d for d in order if d not in chosen]
    share: dict[str, list[str]] = {c: [] for c in coders}
    for index, doc_id in enumerate(rest):
        share[coders[index % len(coders)]].append(doc_id)
    documents = {c: tuple(d for d in order if d in chosen or d in set(share[c])) for c in coders}
    return Plan(coders, documents, frozenset(chosen), seed, percent)


def annotation_digest(
    document_id: str,
    coder: str,
    category: str,
    start: int,
    end: int,
    memo: str,
    values: Iterable[tuple[str, object, object, object, object, object]],
) -> str:
    """A digest of what an annotation says (where, which category, by whom, its memo and
    values, named by key and label so that two files compare): equal digests, same
    annotation. Values are ``(attribute key, text, number, choice label, annotation id,
    actor id)``."""
    payload = (document_id, coder, category, start, end, memo, sorted(values, key=_first))
    # repr of str, int, float and None is exact and stable across runs and systems.
    return hashlib.blake2b(repr(payload).encode("utf-8"), digest_size=16).hexdigest()


def _first(value: tuple[str, object, object, object, object, object]) -> str:
    return value[0]


class Action(StrEnum):
    UNCHANGED = "unchanged"  # nothing to do
    TAKE = "take"  # the copy's version (or its deletion) replaces the lead's
    CONFLICT = "conflict"  # changed on both sides: the newer is kept


def decide(copy: str | None, base: str | None, lead: str | None) -> Action:
    """What to do with one annotation, from its three states (a digest, ``DELETED``,
    or ``None`` when never seen): the copy's, the version last merged, the lead's."""
    if copy == base or copy == lead:
        return Action.UNCHANGED  # the copy has nothing new for the lead
    if copy == DELETED and lead is None:
        return Action.UNCHANGED  # deleted in the copy, never in the lead's project
    if lead == base or (base is None and lead in (None, DELETED)):
        return Action.TAKE
    return Action.CONFLICT


@dataclass
class Conflict:
    """An annotation changed in the copy and in the lead's project since the last
    merge: both versions (``None``: deleted), and which was kept."""

    annotation_id: str
    document_id: str
    coder: str
    copy_version: dict[str, object] | None
    lead_version: dict[str, object] | None
    kept: str  # "copy" or "lead"

    def line(self) -> str:
        def say(version: dict[str, object] | None) -> str:
            if version is None:
                return "deleted"
            return (
                f"{version.get('category')} [{version.get('start')}, {version.get('end')})"
                f" of {version.get('updated_at')}"
            )

        return (
            f"conflict: annotation {self.annotation_id} by {self.coder}:"
            f" copy {say(self.copy_version)}, lead {say(self.lead_version)};"
            f" kept the {self.kept}'s (newer)"
        )


@dataclass
class MergeReport:
    """What merging one coder file did (or why it was refused)."""

    file: str
    coder: str = ""
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # what was not merged, and why
    refused_file: str = ""  # the whole file was refused: why (nothing was changed)
    duplicate_actors: list[tuple[str, str]] = field(default_factory=list)  # (new, existing)
    new_choices: list[str] = field(default_factory=list)
    new_actors: list[str] = field(default_factory=list)

    @property
    def compared(self) -> int:
        return self.added + self.updated + self.deleted + self.unchanged + len(self.conflicts)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.added
            or self.updated
            or self.deleted
            or self.new_choices
            or self.new_actors
            or any(c.kept == "copy" for c in self.conflicts)
        )

    def counts(self) -> dict[str, int]:
        return {
            "added": self.added,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "conflicts": len(self.conflicts),
            "refused": len(self.refused),
        }

    @property
    def name(self) -> str:
        """The file's name, without its folder."""
        return self.file.replace("\\", "/").rsplit("/", 1)[-1]

    def summary(self) -> str:
        if self.refused_file:
            return f"{self.name}: refused: {self.refused_file}"
        counts = ", ".join(f"{n} {what}" for what, n in self.counts().items())
        return f"{self.name} ({self.coder or 'no coder'}): {counts} ({self.compared} compared)"

    def lines(self) -> list[str]:
        """The report as printed and shown: a summary, then each detail."""
        out = [self.summary(), f"  file: {self.file}"]
        if self.refused_file:
            return out
        out += [f"  {c.line()}" for c in self.conflicts]
        out += [f"  refused: {why}" for why in self.refused]
        out += [f"  new choice: {label}" for label in self.new_choices]
        out += [f"  new actor: {name}" for name in self.new_actors]
        out += [
            f"  possible duplicate actors: “{new}” and “{old}” (merge them in the registry)"
            for new, old in self.duplicate_actors
        ]
        return out


def folded(name: str) -> str:
    """A name as compared for duplicates: case and spacing ignored."""
    return " ".join(name.casefold().split())
