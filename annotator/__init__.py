"""Annotator: code actors, claims and stances in texts, hand the data over as CSV.

The public scripting API lives here::

    import annotator
    with annotator.open_project("study.annotator") as project:
        doc = project.import_text("A text.", title="Example")
        project.add_annotation(doc.id, 0, 1, "actor", coder="Ana")
        annotator.export_csv(project, "out/")
"""

from importlib.metadata import PackageNotFoundError, version

from annotator.core.codebook import Value
from annotator.exporting.agreement_files import agreement
from annotator.exporting.csv_export import export_csv
from annotator.importing.text_import import import_file
from annotator.store.errors import ProjectError
from annotator.store.project import Project, create_project, open_project

try:
    __version__ = version("annotator")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = [
    "Project",
    "ProjectError",
    "Value",
    "agreement",
    "create_project",
    "export_csv",
    "import_file",
    "open_project",
    "__version__",
]
