"""The process's long-lived heap, frozen once it is built, and the young collections made
rarer (PLT-9).

Everything a process makes at start-up — modules, the container, its pools, compiled
statements and templates — lives as long as the process. CPython's full garbage collection
would scan all of it again and again: a page of 200 orders reviewed allocates enough that
the collector ran a full pass several times a page, and those passes were ~70 % of the
review's CPU (bench/README.md, ``orders_review.py``). ``gc.freeze`` moves what exists now
into a generation the collector never scans; cycles made afterwards are still collected.

A unit of work holds tens of thousands of tracked objects at once (a review's page: 200
orders with their lines, timelines, rows and decisions), all freed by reference counting
when it ends. At CPython's default (a young collection every 700 more tracked objects)
the collector still ran ~0.4 times an order, each pass walking the live page, and took
~0.1 ms of an order's ~0.75 ms of CPU; at ``YOUNG_THRESHOLD`` it runs a few times in a
thousand orders (bench/README.md, the review; docs/decisions.md). Cycles still go, a little
later: memory grows by at most that many objects.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 20_000  # CPython's default: 700


def freeze_heap() -> None:
    """Collect what start-up left as garbage, then freeze the rest and make young
    collections rarer: call once the process is built (the HTTP app's start, a worker's,
    the scheduler's), before it takes work."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
