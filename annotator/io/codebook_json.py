"""Kept for scripts: see :mod:`annotator.importing.codebook_json`."""

from annotator.importing.codebook_json import ImportSummary, export_codebook, import_codebook

__all__ = ["ImportSummary", "export_codebook", "import_codebook"]
