"""Cyclic garbage collection paused while large, acyclic, long-lived structures are built."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["gc_paused"]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Cyclic garbage collection paused, and what was built then moved to the oldest generation.

    The trees, entries, checks and query indexes hold no cycles, and collecting while they are
    built rescans every object again and again (a file of a million entries took 72 s instead of
    26 s; on the benchmark's size M, collecting during the checks cost 2.8 s). What is built is
    long-lived: left among the young objects, it would be scanned whole by the next collections of
    the young generations (0.5 to 0.8 s each on size M); ``gc.freeze()`` then ``gc.unfreeze()``
    moves every tracked object to the oldest generation at once, where only the occasional full
    collection looks at it. Skipped when the program has frozen objects itself, which unfreezing
    would release.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
