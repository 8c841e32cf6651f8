"""The full hand-off for statisticians: CSV files (plus Stata, SPSS, Excel when
their writers are installed), summaries, an actor × issue network, a data
dictionary and a manifest, all written to a staging folder and moved into
place only when every file is complete.

    export_for_analysis(project, out_dir, ExportOptions(profile="excel", coder="Ana"))
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import importlib
import json
import math
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path

from annotator.core.gcpause import gc_paused
from annotator.core.progress import Progress
from annotator.core.text import sha256_file
from annotator.exporting.adjudication_table import AdjudicationFile
from annotator.exporting.batch_pass import (
    CollectSink,
    ExcelSink,
    Outcome,
    QuotedSink,
    Sink,
    ValuesSink,
    write_big_tables,
)
from annotator.exporting.content_hash import hash_image, plan_image
from annotator.exporting.csv_cells import RAW, csv_form
from annotator.exporting.csv_profiles import ANALYSIS, FileWriter, Written, write_csv
from annotator.exporting.data import ExportData
from annotator.exporting.data_dictionary import CONTENT_HASH_METHOD, dictionary_markdown
from annotator.exporting.folder import ExportFolder, flush_file
from annotator.exporting.model import (
    FORMATS,
    INTEGER,
    NUMBER,
    PROFILES,
    ExportOptions,
    ExportRefused,
    ExportResult,
    ExportTable,
    cell_name,
)
from annotator.exporting.streamed_csv import Feeder, stream_csv
from annotator.exporting.tables import (
    DICTIONARY_MD,
    MANIFEST,
    TABLES,
    XLSX,
    TableDefinition,
    TableSources,
    exported_tables,
)

# Re-exported for scripts (see annotator.io.export_analysis).
from annotator.exporting.tables import EXPORT_FILES as EXPORT_FILES
from annotator.exporting.tables import build_tables as build_tables
from annotator.store.project import Project

MANIFEST_VERSION = 1
ADJUDICATION = "adjudication"
ADJUDICATION_CSV = f"{ADJUDICATION}.csv"
# A table and what it was built into.
Built = list[tuple[TableDefinition, ExportTable]]


def content_sha256(project: Project) -> str:
    """See :data:`CONTENT_HASH_METHOD`: one consistent image of the database."""
    conn = project.db.conn
    outer = conn.in_transaction
    with project.snapshot():
        plan = None if outer else plan_image(conn, project.path)
        return hash_image(plan) if plan is not None else _sha256(conn.serialize())


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _number(cell: str, integer: bool) -> int | float | None:
    """A numeric cell's number; ValueError for text that is not a finite number."""
    if cell == "":
        return None
    number = float(cell)
    if not math.isfinite(number):
        raise ValueError(cell)
    return int(number) if integer or number.is_integer() else number


def typed_rows(table: ExportTable, warnings: list[str] | None = None) -> ExportTable:
    """A copy whose numeric cells are int/float (None for missing), for dta/sav/xlsx.

    A number attribute may hold text (a value typed in another tool): it is left
    empty there, and said in ``warnings``; the CSV files keep the text.
    """
    numeric = [
        (i, c.type == INTEGER) for i, c in enumerate(table.columns) if c.type in (INTEGER, NUMBER)
    ]
    rows = []
    for count, row in enumerate(table.rows, 1):
        cells = list(row)
        for i, integer in numeric:
            cell = cells[i]
            if not isinstance(cell, str):
                continue
            try:
                cells[i] = _number(cell, integer)
            except ValueError:
                cells[i] = None
                if warnings is not None:
                    shown = cell if len(cell) <= 40 else cell[:40] + "…"
                    warnings.append(
                        f"{cell_name(table.name, table.columns[i].name, count)}: "
                        f"“{shown}” is not a number; left empty in .dta, .sav and .xlsx"
                    )
        rows.append(cells)
    return ExportTable(table.name, table.description, table.columns, rows)


def _writer(module: str, name: str) -> Callable[..., None]:
    writer: Callable[..., None] = getattr(
        importlib.import_module(f"annotator.exporting.{module}"), name
    )
    return writer


def _other_formats(
    built: Built, staging: Path, formats: tuple[str, ...], result: ExportResult
) -> list[str]:
    """Write dta/sav/xlsx where their writers (and extras) are installed: one
    file per table in dta and sav, one workbook sheet per table in xlsx."""
    written: list[str] = []
    wanted = [f for f in formats if f != "csv"]
    if not wanted:
        return written
    assert not any(t.quoted for _, t in built), "dta/sav/xlsx are written from values"
    # Said only if one of those files is written.
    number_warnings: list[str] = []
    typed = [(d, typed_rows(t, number_warnings)) for d, t in built]
    for fmt in wanted:
        try:
            if fmt == "xlsx":
                sheets = [(d, t) for d, t in typed if d.writes(fmt, formats)]
                write_xlsx = _writer("xlsx", "write_xlsx")
                write_xlsx([t for _, t in sheets], staging / XLSX, result.warnings)
                # Its rows: those of the data sheets (not the dictionary's).
                data_sheets = [t for d, t in sheets if not d.about_tables]
                result.files[XLSX] = sum(len(t.rows) for t in data_sheets)  # type: ignore[arg-type,misc]
                written.append(XLSX)
                continue
            write = _writer("stata_spss", f"write_{fmt}")
            for definition, table in typed:
                if not definition.writes(fmt, formats):
                    continue
                write(table, staging / f"{table.name}.{fmt}", result.warnings)
                result.files[f"{table.name}.{fmt}"] = len(table.rows)  # type: ignore[arg-type]
                written.append(f"{table.name}.{fmt}")
        except ImportError as exc:
            result.skipped_formats[fmt] = f"not available: {exc}"
        except OSError:
            raise
        except Exception as exc:
            if type(exc).__name__ == "MissingExtra":  # the writers' own
                result.skipped_formats[fmt] = str(exc)
                continue
            # pyreadstat and openpyxl say a failed write their own way (ReadstatError:
            # "Unable to write data" on a full disk): an OSError, as for the CSV files.
            raise OSError(errno.EIO, f"the .{fmt} files could not be written ({exc})") from exc
    if written:
        result.warnings += number_warnings
    return written


def _check(options: ExportOptions) -> None:
    if options.profile not in PROFILES:
        raise ExportRefused(
            f"unknown profile {options.profile!r}; use one of {', '.join(PROFILES)}"
        )
    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown:
        raise ExportRefused(f"unknown format {unknown[0]!r}; use any of {', '.join(FORMATS)}")


def export_for_analysis(
    project: Project,
    out_dir: str | Path,
    options: ExportOptions | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write the export into ``out_dir``; nothing there changes unless all of it was
    written. Raises ProjectError if an annotation no longer matches its text.

    ``progress`` hears how far the export got; cancelled, the export raises
    :class:`Cancelled` and leaves the folder as it was."""
    options = options or ExportOptions()
    progress = progress or Progress()
    _check(options)
    if options.coder is not None and options.coder not in (names := project.coder_names()):
        listed = ", ".join(names) if names else "none yet"
        raise ExportRefused(
            f"No annotations by a coder named “{options.coder}”. Coders with annotations: {listed}."
        )
    # Hundreds of thousands of cells and rows, none in a reference cycle: the
    # cyclic collector would only scan them again and again while they are written.
    with gc_paused():
        return _export(project, Path(out_dir), options, progress)


def _export(
    project: Project, out: Path, options: ExportOptions, progress: Progress
) -> ExportResult:
    files = FileWriter()
    hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-hash")
    try:
        return _export_with(project, out, options, files, hashing, progress)
    finally:
        files.close()
        hashing.shutdown(wait=True, cancel_futures=True)


def _export_with(
    project: Project,
    out: Path,
    options: ExportOptions,
    files: FileWriter,
    hashing: ThreadPoolExecutor,
    progress: Progress,
) -> ExportResult:
    result = ExportResult(str(out))
    conn = project.db.conn
    # Everything is read in one read transaction (the same state of the project,
    # even while another window or process commits to it); the project's image
    # is hashed from the files it lies in meanwhile, on a thread of its own.
    outer = conn.in_transaction  # then when it began is not known here
    with project.snapshot():
        plan = None if outer else plan_image(conn, project.path)
        if plan is not None:
            content_later = hashing.submit(hash_image, plan, progress.check)
        else:
            content_later = hashing.submit(partial(_sha256, conn.serialize()))
        try:
            data = ExportData(project, options.coder)
            # Quoted rows for the analysis CSV alone; other formats need plain values,
            # and csv.writer writes the CSV files from those just as well.
            quoted = tuple(options.formats) == ("csv",) and options.profile == ANALYSIS
            sources = TableSources(
                data, csv_form() if quoted else RAW, actor_networks=options.actor_networks
            )
            with ExportFolder(out) as folder:
                _write_into(
                    folder, project, options, files, sources, result, content_later, progress
                )
        finally:
            hashing.shutdown(wait=True)  # the image is read before the transaction ends
    return result


def _big_sinks(
    definitions: list[TableDefinition],
    sources: TableSources,
    staging: Path,
    options: ExportOptions,
    files: FileWriter,
) -> dict[str, Sink]:
    """Where each big table's rows go: its CSV file, written as they come, when
    CSV is the only format; else a list for every writer to read."""
    sinks: dict[str, Sink] = {}
    try:
        for definition in definitions:
            columns = definition.build(sources).columns
            path = staging / f"{definition.name}.csv"
            delimiter = definition.delimiter
            if tuple(options.formats) != ("csv",):
                sinks[definition.name] = CollectSink()
            elif sources.form.quoted and definition.quotable:
                sinks[definition.name] = QuotedSink(path, columns, files)
            elif sources.form.quoted:
                sinks[definition.name] = ValuesSink(path, columns, files, delimiter)
            else:
                sinks[definition.name] = ExcelSink(path, definition.name, columns, delimiter)
    except BaseException:
        for sink in sinks.values():
            sink.abandon()
        raise
    return sinks


def _early_adjudication(
    sources: TableSources, options: ExportOptions, staging: Path, files: FileWriter
) -> AdjudicationFile | None:
    """adjudication.csv written during the big tables' pass, from what it reads
    (the analysis CSV alone, and only without a coder filter: the table holds
    every coder's annotations); else None."""
    if not sources.form.quoted or options.coder is not None:
        return None
    if not any(d.name == ADJUDICATION for d in TABLES):
        return None
    return AdjudicationFile(sources.data, staging / ADJUDICATION_CSV, files)


def _feeders(
    definition: TableDefinition,
    table: ExportTable,
    staging: Path,
    progress: Progress,
    fed: dict[str, Feeder],
) -> list[Feeder]:
    """The derived files of ``table`` written while its CSV file is streamed (kept
    in ``fed`` by file name, replacing those of an abandoned writing)."""
    made: list[Feeder] = []
    for derived in definition.also_as:
        name = f"{table.name}.{derived.suffix}"
        fed.pop(name, None)
        feeder = derived.feed(table, staging / name, progress.check) if derived.feed else None
        if feeder is not None:
            fed[name] = feeder
            made.append(feeder)
    return made


def _write_into(
    folder: ExportFolder,
    project: Project,
    options: ExportOptions,
    files: FileWriter,
    sources: TableSources,
    result: ExportResult,
    content_later: Future[str],
    progress: Progress,
) -> None:
    """Write every file into the folder's staging folder, then put them in place."""
    staging = folder.staging
    formats = options.formats
    data = sources.data
    definitions = exported_tables(options.actor_networks)
    big = [d for d in definitions if d.batch_rows is not None]
    groups = data.plan()
    total = len(definitions) - len(big) + len(groups)  # a step a table, and one a group
    try:
        written: list[str] = []
        digests: dict[str, str] = {}  # file name → SHA-256, for those hashed while written
        built: Built = []
        csv_warnings: list[str] = []
        outcomes: dict[str, Outcome] = {}
        fed: dict[str, Feeder] = {}  # derived file name → written with its table's CSV
        written_early: dict[str, Written] = {}
        step = 0
        for definition in definitions:
            name = f"{definition.name}.csv"
            if definition.batch_rows is not None:
                if not outcomes:
                    sinks = _big_sinks(big, sources, staging, options, files)
                    early = _early_adjudication(sources, options, staging, files)
                    try:
                        outcomes = write_big_tables(
                            sources,
                            sinks,
                            big,
                            groups,
                            progress,
                            step,
                            total,
                            early.add if early is not None else None,
                        )
                    except BaseException:
                        if early is not None:
                            early.abandon()
                        raise
                    if early is not None and (done := early.finish()) is not None:
                        written_early[ADJUDICATION_CSV] = done
                    step += len(groups)
                outcome = outcomes[definition.name]
                columns = definition.build(sources).columns
                table = ExportTable(
                    definition.name,
                    definition.description,
                    columns,
                    outcome.rows,
                    definition.quotable and sources.form.quoted,
                    definition.delimiter,
                )
                sources.tables.append(table)
                built.append((definition, table))
                if not definition.writes("csv", formats):
                    continue
                if tuple(formats) == ("csv",):
                    if outcome.needs_values:  # rare: the same table with values, for csv.writer
                        plain = definition.table(TableSources(data))
                        written_csv = write_csv(plain, staging / name, options.profile, files)
                    else:
                        written_csv = Written(outcome.count, outcome.warnings, outcome.sha256)
                else:
                    written_csv = write_csv(table, staging / name, options.profile, files)
            else:
                progress.step(step, total, definition.name)
                step += 1
                table = definition.table(sources)
                sources.tables.append(table)
                built.append((definition, table))
                if not definition.writes("csv", formats):
                    continue
                if name in written_early:  # written during the big tables' pass
                    written_csv = written_early[name]
                elif sources.form.quoted and not isinstance(table.rows, list):
                    # Rows made as they are read (actor networks, adjudication): never
                    # held; a network's GraphML is written from the same rows.
                    feeders = partial(_feeders, definition, table, staging, progress, fed)
                    written_csv = stream_csv(table, staging / name, files, progress.check, feeders)
                else:
                    written_csv = write_csv(table, staging / name, options.profile, files)
            result.files[name] = written_csv.rows
            csv_warnings += written_csv.warnings
            if written_csv.sha256:
                digests[name] = written_csv.sha256
            written.append(name)
        result.warnings += data.dangling_warning() + csv_warnings
        result.warnings += sources.tallies.left_out.warnings()
        if options.actor_networks:
            result.warnings += sources.tallies.actor_concepts.warnings()
        extra: list[str] = []  # "name\tdescription" of the derived files, for the dictionary
        for definition, table in built:
            for derived in definition.also_as:
                name = f"{table.name}.{derived.suffix}"
                feeder = fed.get(name)
                if feeder is not None:
                    result.files[name] = feeder.finish()
                else:
                    result.files[name] = derived.write(table, staging / name, progress.check)
                written.append(name)
                extra.append(f"{name}\t{derived.description}")
        extra.append(
            f"{MANIFEST}\tversions, project hash, export time, rows and SHA-256 of every file"
        )
        progress.check()
        others = _other_formats(built, staging, formats, result)
        markdown = dictionary_markdown(
            [t for _, t in built],
            options.profile,
            options.coder,
            extra,
            others,
            [t for d, t in built if d.writes("dta", formats) or d.writes("sav", formats)],
            _coders(project, options),
        )
        (staging / DICTIONARY_MD).write_text(markdown, encoding="utf-8", newline="\n")
        written += [DICTIONARY_MD, *others]
        progress.step(total, total, MANIFEST)
        try:
            content = content_later.result()
        except OSError:  # the files could not be read as planned: SQLite's own image
            content = _sha256(project.db.conn.serialize())  # still in the read transaction
        digests.update(files.digests())
        names = [*written, MANIFEST]
        previous = folder.previous(MANIFEST, EXPORT_FILES, names)
        result.warnings += [
            f"{name} was changed since the previous export and was left in the "
            "folder; it is not part of this export"
            for name in previous.changed
        ]
        manifest = _manifest(project, options, result, staging, written, content, digests)
        (staging / MANIFEST).write_text(manifest, encoding="utf-8", newline="\n")
        for name in names:
            if not name.endswith(".csv"):  # the CSV files were flushed as they were written
                flush_file(staging / name)
        progress.check()  # the last moment a cancel leaves the previous export in place
        result.warnings += folder.place(names, previous.files)
        result.written = names
    finally:
        files.close()  # nothing is still being written into the staging folder


def _coders(project: Project, options: ExportOptions) -> list[str]:
    """The coders whose annotations the export holds (``adjudicated``: the adjudicated set)."""
    return [options.coder] if options.coder is not None else project.coder_names()


def _manifest(
    project: Project,
    options: ExportOptions,
    result: ExportResult,
    staging: Path,
    written: list[str],
    content: str,
    digests: dict[str, str],
) -> str:
    from annotator import __version__
    from annotator.store.schema import SCHEMA_VERSION

    now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "app_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "project": {
            "file_name": project.path.name,
            "content_sha256": content,
            "content_sha256_method": CONTENT_HASH_METHOD,
        },
        "exported_at": now,
        "coder": options.coder,
        "coders": _coders(project, options),
        "profile": options.profile,
        "formats": list(options.formats),
        "files": {
            name: {
                "rows": result.files.get(name),
                "sha256": digests.get(name) or sha256_file(staging / name),
            }
            for name in sorted(written)
        },
        "skipped_formats": result.skipped_formats,
        "warnings": result.warnings,
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
