from annotator.core.locations import risky_location


def test_synced_and_local_folders(tmp_path):
    for folder, service in (
        ("Dropbox", "Dropbox"),
        ("OneDrive - University", "OneDrive"),
        ("Library/Mobile Documents/com~apple~CloudDocs", "iCloud Drive"),
        ("Google Drive/My Drive", "Google Drive"),
    ):
        path = tmp_path / folder / "study.annotator"
        assert risky_location(path) == f"a folder synced by {service}"
    assert risky_location(tmp_path / "projects" / "study.annotator") is None
