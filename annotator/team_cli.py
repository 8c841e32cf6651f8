"""``annotator team prepare|merge|agreement|premerge``: coder copies, merging coders'
files, the agreement report and pre-merging the adjudicated set without the window
(cli.py hands ``annotator team …`` here)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.store.errors import ProjectError

if TYPE_CHECKING:
    from annotator.store.project import Project

USAGE = "annotator team {prepare,merge,agreement,premerge} …"


def team(argv: Sequence[str]) -> int:
    commands: dict[str, Callable[[Sequence[str]], int]] = {
        "prepare": _prepare,
        "merge": _merge,
        "agreement": _agreement,
        "premerge": _premerge,
    }
    if not argv or argv[0] not in commands:
        asked = bool(argv) and argv[0] in ("-h", "--help")
        print(
            f"usage: {USAGE}\n  prepare  write one coder copy per coder\n"
            "  merge    bring coders' files into the project\n"
            "  agreement  agreement between coders (alpha, kappa, AC1), pooled and per document\n"
            "  premerge   settle the units coders agree on into the adjudicated set",
            file=sys.stdout if asked else sys.stderr,
        )
        return 0 if asked else 2
    return commands[argv[0]](argv[1:])


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a percentage: {text!r}") from None
    if not 0 < value <= 100:
        raise argparse.ArgumentTypeError("a percentage above 0 and at most 100")
    return value


def _prepare(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="annotator team prepare",
        description="Write one coder copy per coder into DIR: the documents the coder "
        "codes, the codebook, the registry and the document variables, and none of the "
        "other coders' annotations. Without --sample every coder gets every document; "
        "with it the documents are dealt out and the sample goes to everyone. The "
        "project records who was given what. Existing files are never overwritten.",
    )
    parser.add_argument("project", type=Path, help="the lead's project file (.annotator)")
    parser.add_argument("--coders", required=True, help="coder names, comma-separated")
    parser.add_argument("--out", type=Path, required=True, help="folder for the copies")
    sample = parser.add_mutually_exclusive_group()
    sample.add_argument(
        "--sample", type=_percent, metavar="PERCENT", help="reliability sample: %% of documents"
    )
    sample.add_argument(
        "--sample-documents", metavar="ID,…", help="reliability sample: these document ids"
    )
    parser.add_argument(
        "--seed", type=int, help="seed of the sample's draw (default: from the project's id)"
    )
    args = parser.parse_args(argv)
    from annotator.core.team import coder_names
    from annotator.ops.team import plan_for, prepare_coder_copies

    try:
        coders = coder_names(args.coders)
    except ValueError as exc:
        parser.error(f"--coders: {exc}")
    chosen = None
    if args.sample_documents is not None:
        chosen = [d.strip() for d in args.sample_documents.split(",") if d.strip()]

    def run(project: Project) -> list[str]:
        plan = plan_for(project, coders, percent=args.sample, sample=chosen, seed=args.seed)
        return prepare_coder_copies(project, plan, args.out).value.lines()

    return _with_project(args.project, run, "preparing the copies", "no copy was written")


def _merge(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="annotator team merge",
        description="Merge coders' files into the project by UUID: new, changed and "
        "deleted annotations come in, choices and registry actors a coder added come "
        "along; an annotation changed on both sides is a conflict (the newer kept, both "
        "listed). A verified backup is taken first; each file is one transaction; a file "
        "of another project, a newer or damaged file is refused and changes nothing. "
        "Exits 1 if a file was refused.",
    )
    parser.add_argument("project", type=Path, help="the lead's project file (.annotator)")
    parser.add_argument("files", nargs="+", type=Path, help="coder files to merge")
    args = parser.parse_args(argv)
    from annotator.ops.team import merge_coder_files

    refused: list[bool] = []

    def run(project: Project) -> list[str]:
        reports = merge_coder_files(project, args.files).value
        refused.extend(bool(r.refused_file) for r in reports)
        return [line for report in reports for line in report.lines()]

    code = _with_project(
        args.project,
        run,
        "merging",
        "the file being merged was rolled back; the files listed before it are merged",
    )
    return 1 if code == 0 and any(refused) else code


def _with_project(
    path: Path, run: Callable[[Project], list[str]], doing: str, interrupted: str
) -> int:
    """Run ``run`` on the project at ``path`` (which must exist) holding its lock; print
    its lines, or the error."""
    from annotator.core.progress import Cancelled
    from annotator.qt.safety.lock_file import ProjectLock
    from annotator.store.project import open_project

    if not path.exists():
        print(f"annotator: “{path}” does not exist.", file=sys.stderr)
        return 1
    lock = ProjectLock(path)
    holder = lock.acquire()
    if holder is not None:
        print(
            f"annotator: {path.name} is open in {holder.describe()}; close it there (or use "
            "its Team menu), then try again.",
            file=sys.stderr,
        )
        return 1
    try:
        with open_project(path) as project:
            lines = run(project)
    except (ProjectError, ValueError, OSError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Cancelled):
        print(f"annotator: {doing} interrupted; {interrupted}.", file=sys.stderr)
        return 130
    finally:
        lock.release()
    for line in lines:
        print(line)
    return 0


def _premerge(argv: Sequence[str]) -> int:
    """``annotator team premerge PROJECT [--majority N] [--by NAME]``: settle every
    unit the coders agree on into the adjudicated set, and report."""
    import getpass

    parser = argparse.ArgumentParser(
        prog="annotator team premerge",
        description="Settle every unit on which all coders of its document agree (and, "
        "with --majority N, every unit on which at least N coders agree) into the "
        "adjudicated set (the coder 'adjudicated'). Earlier decisions are kept; those "
        "whose coders' annotations changed since are listed.",
    )
    parser.add_argument("project", type=Path, help="the project file (.annotator)")
    parser.add_argument("--majority", type=int, metavar="N", help="also settle where N agree")
    parser.add_argument("--by", metavar="NAME", help="who settles (default: your user name)")
    args = parser.parse_args(argv)
    if args.majority is not None and args.majority < 2:
        parser.error("--majority: at least 2 coders must agree")
    from annotator.ops.adjudication import premerge

    by = args.by or getpass.getuser()

    def run(project: Project) -> list[str]:
        project.backup("before pre-merge")
        report = premerge(project, settled_by=by, majority=args.majority).value
        titles = {d.id: d.title for d in project.documents(counts=False)}
        return [
            f"settled {report.settled} units: {report.agreed} agreed, {report.majority} by "
            f"majority, {report.carried} brought along by a reference",
            *(
                [
                    f"left {report.waiting} agreed units that point at a unit the coders"
                    " disagree on (settle that one first, then pre-merge again)"
                ]
                if report.waiting
                else []
            ),
            f"kept {report.kept} earlier decisions; {len(report.changed)} changed since:",
            *(
                f"  {titles.get(unit.document_id, unit.document_id)}: {unit.unit_key}: "
                + "; ".join(unit.notes)
                for unit in report.changed
            ),
            *(f"note: {note}" for note in report.settlement.notes),
        ]

    return _with_project(args.project, run, "pre-merging", "nothing was settled")


def _agreement(argv: Sequence[str]) -> int:
    from annotator.core.agreement.report import MATCHED, UNITIZING
    from annotator.exporting.agreement_files import AgreementRefused, agreement
    from annotator.store.project import open_project

    parser = argparse.ArgumentParser(
        prog="annotator team agreement",
        description="Agreement between coders over the documents two or more of them coded: "
        "unitizing alpha per category, and per attribute Krippendorff's alpha, percent "
        "agreement, Cohen's or Fleiss' kappa and Gwet's AC1, pooled over documents. With "
        "--out, agreement.csv, agreement_units.csv and their data dictionary are written.",
    )
    parser.add_argument("project", type=Path, help="the project file (.annotator)")
    parser.add_argument("--coders", help="comma-separated coder names (default: every coder)")
    parser.add_argument("--out", type=Path, help="folder to write the files to")
    parser.add_argument(
        "--min-overlap",
        type=float,
        default=0.5,
        help="share of the union two spans must share to be one unit (default: 0.5)",
    )
    args = parser.parse_args(argv)
    coders = [c.strip() for c in (args.coders or "").split(",") if c.strip()] or None
    try:
        with open_project(args.project, read_only=True) as project:
            report = agreement(project, coders, args.out, args.min_overlap)
    except (ProjectError, AgreementRefused) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"annotator: cannot write to {args.out}: {exc}", file=sys.stderr)
        return 1
    print(
        f"Agreement of {', '.join(report.coders) or 'no coders'} over "
        f"{len(report.documents)} document(s) coded by two or more of them; units: "
        f"{report.rule.describe()}."
    )
    if not report.documents:
        print("Nothing to compare: no document was coded by two of these coders.")
    print(f"{'category':<12} {'attribute':<18} {'measure':<20} {'level':<9} {'value':>7}  units")
    for f in report.pooled():
        value = "-" if f.value is None else f"{f.value:.3f}"
        attribute = f.attribute or ("" if f.measure in (MATCHED, UNITIZING) else "-")
        print(
            f"{f.category:<12} {attribute:<18} {f.measure:<20} {f.level:<9} {value:>7}  "
            f"{f.units_paired}/{f.units_total}"
        )
    if args.out is not None:
        for name in ("agreement.csv", "agreement_units.csv", "DATA_DICTIONARY.md"):
            print(f"{args.out / name}")
    return 0
