"""Kept for scripts: see :mod:`annotator.exporting.model`."""

from annotator.exporting.model import ExportOptions, ExportRefused, ExportResult

__all__ = ["ExportOptions", "ExportRefused", "ExportResult"]
