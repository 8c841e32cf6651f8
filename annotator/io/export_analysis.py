"""Kept for scripts: see :mod:`annotator.exporting.analysis`."""

from annotator.exporting.analysis import EXPORT_FILES, export_for_analysis

__all__ = ["EXPORT_FILES", "export_for_analysis"]
