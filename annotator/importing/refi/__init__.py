"""Importing REFI-QDA files (``.qdpx`` projects, ``.qdc`` codebooks) into a new project."""

from annotator.importing.refi.building import import_refi
from annotator.importing.refi.codes import NESTED_MODES
from annotator.importing.refi.report import RefiReport

__all__ = ["NESTED_MODES", "RefiReport", "import_refi"]
