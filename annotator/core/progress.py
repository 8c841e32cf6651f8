"""How far long work has got, and a way to ask it to stop.

Long work (an export, say) takes a :class:`Progress` and calls :meth:`Progress.step`
now and then: each call reports to whoever watches (a progress bar, a terminal
line) and raises :class:`Cancelled` once :meth:`Progress.cancel` was called, from
any thread. The work then stops where it is and undoes what it had begun.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Report = Callable[[int, int, str], None]  # (done, total, what is being done)


class Cancelled(Exception):
    """The work was cancelled before it was finished."""


def _ignore(done: int, total: int, label: str) -> None:
    del done, total, label


class Progress:
    """Reports ``(done, total, label)`` to ``report`` and carries a cancel request."""

    def __init__(self, report: Report | None = None) -> None:
        self._report = report or _ignore
        self._cancelled = threading.Event()

    def step(self, done: int, total: int, label: str = "") -> None:
        """Report; raises :class:`Cancelled` if the work was asked to stop."""
        self.check()
        self._report(done, total, label)

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()
