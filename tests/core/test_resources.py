"""The codebook and sample documents are found in a checkout, a bundle and a wheel."""

import importlib.util

from annotator.core import resources


def test_found_beside_the_package_in_a_checkout():
    assert (resources.resources_dir() / "codebook.json").is_file()
    assert (resources.sample_docs_dir() / "manifest.csv").is_file()
    assert [c["key"] for c in resources.default_codebook()] == ["actor", "claim", "stance"]


def test_an_installed_package_finds_them_inside_itself(monkeypatch, tmp_path):
    # As in site-packages: nothing named resources/ or sample_docs/ beside the package.
    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "site-packages")
    spec = importlib.util.find_spec("annotator._resources")
    assert spec is not None  # pyproject.toml installs resources/ as annotator._resources
    assert (resources.resources_dir() / "codebook.json").is_file()
    assert (resources.sample_docs_dir() / "manifest.csv").is_file()
