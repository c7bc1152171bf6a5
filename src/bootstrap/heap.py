"""The process's long-lived heap, frozen once it is built (PLT-9).

Everything a process makes at start-up — modules, the container, its pools, compiled
statements and templates — lives as long as the process. CPython's full garbage collection
would scan all of it again and again: a page of 200 orders reviewed allocates enough that
the collector ran a full pass several times a page, and those passes were ~70 % of the
review's CPU (bench/README.md, ``orders_review.py``). ``gc.freeze`` moves what exists now
into a generation the collector never scans; cycles made afterwards are still collected.
"""

from __future__ import annotations

import gc


def freeze_heap() -> None:
    """Collect what start-up left as garbage, then freeze the rest: call once the process
    is built (the HTTP app's start, a worker's, the scheduler's), before it takes work."""
    gc.collect()
    gc.freeze()
