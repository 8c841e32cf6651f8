"""Annotator's own copy of the project inside the ``.qdpx``: ``annotator/project.json``.

REFI-QDA has no place for the actor registry, typed attribute values,
references between annotations, document fields and statuses, the ids of
choices, exact timestamps or the codebook's own settings (keys, hotkeys,
required attributes, numeric codes). This entry keeps every stored row of the
project (``store/refi_reads.py``: the columns as the file holds them), so that
Annotator's import rebuilds the project exactly; other tools ignore an entry
they do not know (QualCoder unpacks it and reads only ``project.qde`` and
``sources/``).

Layout (UTF-8 JSON, keys sorted, one document per line)::

    {"format": "annotator-refi-extension", "version": 1,
     "schema_version": <PRAGMA user_version of the project>,
     "origin": "Annotator <version>",
     "tables": {"project_meta": [rows], "coders": [...], "categories": [...],
                "attributes": [...], "choices": [...], "variables": [...],
                "actors": [...], "actor_aliases": [...],
                "adjudication_decisions": [...], "adjudication_members": [...]},
     "documents": [
       {"guid": <the TextSource guid>, "source": "sources/<guid>.txt",
        "document": <row of documents without its text>,
        "document_values": [rows], "annotations": [rows],
        "annotation_values": [rows]},
       ...]}

A row is an object of column → stored value. Every id is also the GUID of the
element it became in ``project.qde`` (a UUID; :func:`codes.guid` otherwise):
a document's id is its TextSource's GUID, an annotation's its
PlainTextSelection's, a category's its Code's, a choice's its sub-code's, a
coder's its User's, a variable's its Variable's. ``version`` changes when
this layout does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from annotator import __version__
from annotator.exporting.refi.codes import guid
from annotator.store.refi_reads import DEFINITION_TABLES, SETTLEMENT_TABLES, RefiReads

EXTENSION_NAME = "annotator/project.json"
EXTENSION_FORMAT = "annotator-refi-extension"
EXTENSION_VERSION = 1


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def write_extension(
    handle: IO[bytes], reads: RefiReads, documents: list[dict[str, Any]]
) -> Iterator[None]:
    """Write the entry into ``handle``; yields after each document (for progress)."""
    head = {
        "format": EXTENSION_FORMAT,
        "version": EXTENSION_VERSION,
        "schema_version": reads.schema_version(),
        "origin": f"Annotator {__version__}",
        "tables": {table: reads.rows(table) for table in DEFINITION_TABLES + SETTLEMENT_TABLES},
    }
    handle.write(_json(head)[:-1] + b',\n"documents":[\n')
    for index, document in enumerate(documents):
        document_id = str(document["id"])
        entry = {
            "guid": guid(document_id),
            "source": f"sources/{guid(document_id)}.txt",
            "document": document,
            "document_values": reads.document_values(document_id),
            "annotations": reads.annotations(document_id),
            "annotation_values": reads.annotation_values(document_id),
        }
        handle.write((b",\n" if index else b"") + _json(entry))
        yield
    handle.write(b"\n]}\n")
