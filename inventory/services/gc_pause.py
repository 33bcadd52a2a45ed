"""Hold off Python's cyclic garbage collector while a bulk process builds many objects.

A 10,000-row upsert keeps tens of thousands of container objects alive at
once (the rows, their evidence, plans, audit snapshots), and every automatic
full collection walks all of them: a third of the upsert's time on SQLite
(docs/benchmarks.md). Nearly everything a batch drops is freed by reference
counting anyway; the few reference cycles simply wait for the next collection
after the batch.

The switch is process-wide, so the services never turn it: only an entry
point whose process does nothing but the batch does (the CLI's import, scan,
demo and sample commands; a worker, later). The web service never pauses the
collector: its requests keep being collected while a scan merges in a thread.

Overlapping holders share the switch: the collector comes back when the last
one ends, and stays off if something else had turned it off before the first
one began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """The collector off for the block, then as it was (shared by overlapping holders)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
