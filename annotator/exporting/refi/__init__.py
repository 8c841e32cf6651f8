"""REFI-QDA exchange files: the project as ``.qdpx``, the codebook as ``.qdc``.

REFI-QDA 1.5 (QDA-XML 1.0, www.qdasoftware.org) is the exchange format of
MAXQDA, NVivo, ATLAS.ti, QualCoder and others. This module is the one place
that says how an Annotator project maps onto it (the README's "REFI-QDA
exchange" section says the same for users; the importer reads it back).

The ``.qdpx`` is a zip (fixed timestamps: the same project gives the same bytes):

``sources/<guid>.txt``
    each document's text, UTF-8 without a BOM, exactly as stored (LF line ends).
``project.qde``
    the QDA-XML project (namespace ``urn:QDA-XML:project:1.0``), valid against
    ``Project-mrt2019.xsd``:

    * ``Project``: ``name`` = the project file's name without ``.annotator``,
      ``origin`` = "Annotator <version>", ``creationDateTime`` = the project's.
    * ``Users/User``: one per coder; ``guid`` = the coder's id, ``name``.
    * ``CodeBook/Codes/Code``: one per category, in codebook order; ``guid`` =
      the category id, ``name`` = its label, ``color`` = its colour, its
      description as ``Description``. Inside it, one sub-code per choice of each
      of the category's *choice* attributes (``guid`` = the choice id, ``name``
      = "attribute label: choice label", the choice's colour; ``Description``
      names category, attribute, choice and its numeric code). Sub-codes,
      because that is how MAXQDA, NVivo, ATLAS.ti and QualCoder show a
      closed list of values on a coded segment: as codes nested under the
      code. Every code is ``isCodable="true"``. Names are unique across the
      codebook (QualCoder merges codes of one name): a repeated name gets the
      category key in brackets. Names are at most 63 characters (MAXQDA cuts
      longer ones; the Description keeps the full names).
    * ``Variables/Variable``: the document fields some document fills
      (Source, Author, Date, File name, Status) and every document variable,
      typed ``Float``/``Date``/``Boolean`` only when every value fits the type
      (else ``Text``; a year or a month alone is not an ``xsd:date``).
    * ``Sources/TextSource``: one per document, in project order; ``guid`` =
      the document id, ``name`` = its title, ``plainTextPath`` =
      ``internal://<guid>.txt``, ``creationDateTime`` = when it was imported;
      then its selections, then a ``VariableValue`` per filled variable.
    * ``PlainTextSelection``: one per annotation, in text order; ``guid`` =
      the annotation id, ``startPosition``/``endPosition`` in Unicode code
      points from 0 (end exclusive: our own offsets, which count code points),
      ``name`` = the quote when at most 80 characters long,
      ``creatingUser``/``modifyingUser`` = the coder, ``creationDateTime`` /
      ``modifiedDateTime`` = the annotation's. Its ``Description`` is the memo,
      a blank line, then one line per attribute value in codebook order, as a
      person reads it: ``polarity: oppose``, ``intensity: 3``, ``claimant:
      “Putin” → Vladimir Putin`` (a reference shows the quote it points to and,
      if that annotation names a registry actor, the actor), ``actor: Vladimir
      Putin`` (a registry reference), ``urgent: yes``. Then one ``Coding`` per
      code: the category's code, then the sub-code of each choice value
      (``Coding`` guid: a UUID 5 of the annotation and the code). A reference
      to another attribute's choice is in the note only.
``annotator/project.json``
    Annotator's exact copy of everything REFI-QDA cannot say (see
    :mod:`annotator.exporting.refi.extension`). Other tools ignore it.

The ``.qdc`` holds the same ``Codes`` tree in a ``CodeBook`` (namespace
``urn:QDA-XML:codebook:1.0``), valid against the codebook XSD.
"""

from __future__ import annotations

from annotator.exporting.refi.project_file import RefiResult, write_qdc, write_qdpx

__all__ = ["RefiResult", "write_qdc", "write_qdpx"]
