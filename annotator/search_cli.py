"""``annotator search``: a corpus search printed as keyword-in-context lines, for
scripts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.command_messages import older_project
from annotator.store.errors import OlderProjectError, ProjectError

if TYPE_CHECKING:
    pass


def search(argv: Sequence[str]) -> int:
    from annotator.core.corpus_query import QueryError, flat
    from annotator.core.model import DocumentStatus
    from annotator.store.corpus_search import SearchFilters
    from annotator.store.project import open_project

    parser = argparse.ArgumentParser(
        prog="annotator search",
        description='Search every document of a project: words, "phrases" and prefixes '
        "(secur*) in any case, or a Python regular expression with --regex. Prints one "
        "tab-separated line a hit: document title, start and end (code points), the hit "
        "in its context as before[hit]after, and the categories already coded there; "
        "then, on standard error, how many hits in how many documents.",
    )
    parser.add_argument("project", type=Path, help="the project file (.annotator)")
    parser.add_argument("query", help="what to look for")
    parser.add_argument("--regex", action="store_true", help="QUERY is a regular expression")
    parser.add_argument(
        "--limit", type=int, default=1000, metavar="N", help="print at most N hits (0: all)"
    )
    statuses = [s.value for s in DocumentStatus]
    parser.add_argument(
        "--status",
        action="append",
        default=[],
        choices=statuses,
        metavar="STATUS",
        help=f"only documents of this status ({', '.join(statuses)}); may be repeated",
    )
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="SOURCE",
        help="only documents of this source; may be repeated",
    )
    parser.add_argument(
        "--from",
        dest="date_from",
        default="",
        metavar="DATE",
        help="only documents dated from DATE (YYYY, YYYY-MM or YYYY-MM-DD)",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        default="",
        metavar="DATE",
        help="only documents dated up to DATE (2024-03: to its last day)",
    )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="only documents whose variable KEY has VALUE; may be repeated",
    )
    args = parser.parse_args(argv)
    variables = []
    for pair in args.var:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            parser.error(f"--var takes KEY=VALUE, not “{pair}”")
        variables.append((key.strip(), value))
    filters = SearchFilters(
        statuses=tuple(args.status),
        sources=tuple(args.source),
        date_from=args.date_from,
        date_to=args.date_to,
        variables=tuple(variables),
    )
    try:
        with open_project(args.project, read_only=True) as project:
            result = project.search(
                args.query,
                regex=args.regex,
                limit=args.limit or None,
                time_limit=None,
                filters=filters,
            )
    except OlderProjectError as exc:
        return older_project(args.project, "search", exc)
    except (ProjectError, QueryError) as exc:
        print(f"annotator: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    for doc in result.documents:
        for hit in doc.hits:
            print(f"{flat(doc.title)}\t{hit.start}\t{hit.end}\t{hit.line()}\t{','.join(hit.coded)}")
    shown = "" if result.shown == result.total else f" (first {result.shown} printed)"
    print(
        f"{result.total} hit{'' if result.total == 1 else 's'} in {len(result.documents)} "
        f"document{'' if len(result.documents) == 1 else 's'}{shown}",
        file=sys.stderr,
    )
    if result.stopped:  # a regular expression that ran too long in one document
        print(f"annotator: {result.stopped}", file=sys.stderr)
        return 1
    return 0
