"""Starting the app imports neither pandas nor numpy (sqlite-utils would, when they
are installed); a Stata export still can, later, in the same process."""

import subprocess
import sys

import pytest

SCRIPT = """
import sys
import annotator.app, annotator.cli
from annotator.store.project import create_project
project = create_project(sys.argv[1])
doc = project.import_text("Kim met Moon in Seoul.", title="Talks")
project.add_annotation(doc.id, 0, 3, "actor", coder="Ana")
print(sorted(name for name in ("pandas", "numpy") if name in sys.modules))
from annotator.exporting.analysis import export_for_analysis
from annotator.exporting.model import ExportOptions
result = export_for_analysis(project, sys.argv[2], ExportOptions(formats=("csv", "dta")))
print(sorted(result.skipped_formats), "pandas" in sys.modules)
"""


def test_start_up_imports_no_pandas_or_numpy_and_stata_still_works(tmp_path):
    pytest.importorskip("pandas")
    pytest.importorskip("pyreadstat")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "p.annotator"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            "ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
            "ANNOTATOR_CONFIG_DIR": str(tmp_path / "config"),
            "QT_QPA_PLATFORM": "offscreen",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "[] True"]
    assert (tmp_path / "out" / "annotations.dta").exists()
