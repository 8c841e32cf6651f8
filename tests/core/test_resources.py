"""The codebook and sample documents are found in a checkout, a bundle and a wheel."""

import subprocess
import sys
import zipfile
from pathlib import Path

from annotator.core import resources

ROOT = Path(__file__).resolve().parents[2]


def test_found_beside_the_package_in_a_checkout():
    assert (resources.resources_dir() / "codebook.json").is_file()
    assert (resources.sample_docs_dir() / "manifest.csv").is_file()
    assert [c["key"] for c in resources.default_codebook()] == ["actor", "claim", "stance"]


def test_an_installed_wheel_finds_them_inside_the_package(tmp_path):
    built = subprocess.run(
        # The build system's requirements are in the test extra: no isolated build
        # environment is installed for it (several seconds, and the network).
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("annotator-*.whl")
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)
    assert "annotator/_resources/codebook.json" in names
    assert "annotator/_sample_docs/manifest.csv" in names
    # Run from elsewhere, so that only the unpacked wheel can be imported.
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from annotator.core import resources as r; "
            "print(r.resources_dir()); print(r.sample_docs_dir()); "
            "print(len(r.default_codebook()))",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={"PYTHONPATH": str(site), "PATH": ""},
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == [
        str(site / "annotator" / "_resources"),
        str(site / "annotator" / "_sample_docs"),
        "3",
    ]
