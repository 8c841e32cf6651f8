"""Export every variant of the reference projects, to compare two versions of the code.

A refactoring must not change a byte of what statisticians receive. This script
builds the reference projects once (``build DIR``: the 100,000-annotation export
benchmark project, the 10,000-annotation coding benchmark project, the small coded
example of the tests and a project with every attribute and variable type), then
exports each of them in every variant (``export DIR OUT``: both profiles, a coder
filter, every format) from copies of those files, so the projects themselves stay
as built. Compare two runs with ``diff -r OUT_A OUT_B``; the export time in each
``manifest.json`` is replaced by a fixed string so that the manifests compare too.

    .venv/bin/python bench/export_variants.py build /tmp/ref
    .venv/bin/python bench/export_variants.py export /tmp/ref /tmp/out-before
    # ... change the code ...
    .venv/bin/python bench/export_variants.py export /tmp/ref /tmp/out-after
    diff -r /tmp/out-before /tmp/out-after && echo identical
"""

from __future__ import annotations

import os
import tempfile

_TMP = tempfile.TemporaryDirectory(prefix="annotator-export-variants-")
os.environ.setdefault("ANNOTATOR_DATA_DIR", os.path.join(_TMP.name, "data"))
os.environ.setdefault("ANNOTATOR_CONFIG_DIR", os.path.join(_TMP.name, "config"))

import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.codebook import Value  # noqa: E402
from annotator.io.export_analysis import export_for_analysis  # noqa: E402
from annotator.io.export_model import ExportOptions  # noqa: E402
from annotator.store.project import Project, create_project, open_project  # noqa: E402

VARIANTS = {
    "analysis": ExportOptions(profile="analysis"),
    "excel": ExportOptions(profile="excel"),
    "coder": ExportOptions(coder="Ana"),
    "formats": ExportOptions(formats=("csv", "dta", "sav", "xlsx")),
}


def build_every_type(path: Path) -> None:
    """A project with every attribute type, document variables and awkward text."""
    from tests.exporting.coded_example import build

    project = create_project(path)
    example = build(project)
    codebook = project.codebook()
    claim = codebook.category("claim")
    note = project.add_attribute(claim.id, "Note", "text")
    weight = project.add_attribute(claim.id, "Weight", "number")
    quoted = project.add_attribute(claim.id, "Quoted", "boolean")
    project.set_value(example.claim.id, Value(note.id, text="=1+2, “odd”\nline\r"))
    project.set_value(example.claim.id, Value(weight.id, number=2.5))
    project.set_value(example.claim.id, Value(quoted.id, number=1))
    project.add_variable("Outlet type", "choice", choices=["daily", "weekly"])
    project.add_variable("Pages", "number")
    project.add_variable("Published", "date")
    project.add_variable("Front page", "boolean")
    project.set_document_variables(
        example.doc.id,
        {"outlet_type": "daily", "pages": "12", "published": "2024-07", "front_page": "yes"},
    )
    second = project.import_text("Seoul 👍🏽 소아쌤 said “no”.\r\nAgain.", title="Second, doc")
    project.add_annotation(second.id, 0, 5, "actor", coder="Chen", memo="-memo")
    project.close()


def build(folder: Path) -> None:
    import bench_coding
    import bench_export

    folder.mkdir(parents=True, exist_ok=True)
    bench_export.build_project(folder / "export100k.annotator", random.Random(20261123)).close()
    rng = random.Random(7)
    text = bench_coding.make_text(rng, 200_000)
    bench_coding.build_project(folder / "coding10k.annotator", text, 10_000, rng)[0].close()
    from tests.exporting.coded_example import build as build_example

    with create_project(folder / "example.annotator") as project:
        build_example(project)
    build_every_type(folder / "every_type.annotator")


def export(folder: Path, out: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="annotator-variants-"))
    try:
        for source in sorted(folder.glob("*.annotator")):
            copy = work / source.name
            shutil.copyfile(source, copy)
            with open_project(copy) as project:
                for name, options in VARIANTS.items():
                    target = out / source.stem / name
                    export_one(project, target, options)
                    print(f"{source.stem}/{name}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def export_one(project: Project, target: Path, options: ExportOptions) -> None:
    if options.coder and options.coder not in project.coder_names():
        options = ExportOptions(coder=project.coder_names()[0])
    export_for_analysis(project, target, options)
    manifest = target / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for key in ("exported_at", "app_version"):
        data[key] = "(fixed)"
    # The content hash changes when the code migrates the copy to a newer schema.
    data["project"]["content_sha256"] = "(fixed)"
    manifest.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "build":
        build(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "export":
        export(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        print(__doc__)
        sys.exit(2)
