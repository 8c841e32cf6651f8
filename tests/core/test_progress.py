import threading

import pytest

from annotator.core.progress import Cancelled, Progress


def test_step_reports_until_cancelled_from_another_thread() -> None:
    seen: list[tuple[int, int, str]] = []
    progress = Progress(lambda done, total, label: seen.append((done, total, label)))
    progress.step(1, 3, "documents.csv")
    worker = threading.Thread(target=progress.cancel)
    worker.start()
    worker.join()
    assert progress.cancelled
    with pytest.raises(Cancelled):
        progress.step(2, 3, "annotations.csv")
    assert seen == [(1, 3, "documents.csv")]


def test_without_a_report_it_only_checks() -> None:
    progress = Progress()
    progress.step(5, 10)
    progress.check()
    progress.cancel()
    with pytest.raises(Cancelled):
        progress.check()
