"""Keep Python's cyclic garbage collector out of bulk work.

Building tens of thousands of small tuples triggers full collections that
scan every live object; none of these tuples form cycles, so the pauses are
pure cost.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
