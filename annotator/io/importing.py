"""Kept for scripts: see :mod:`annotator.importing.pipeline`."""

from annotator.importing.pipeline import FileOutcome, ImportReport, import_paths

__all__ = ["FileOutcome", "ImportReport", "import_paths"]
