"""A built process freezes its start-up heap and makes young collections rarer (PLT-9,
decision 66): what exists is moved out of the collector's reach, later cycles are still
collected, and the young generation is collected after ``YOUNG_THRESHOLD`` more objects."""

from __future__ import annotations

import gc

from bootstrap.heap import YOUNG_THRESHOLD, freeze_heap


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_heap_is_frozen_and_young_collections_wait_for_more_objects() -> None:
    kept = gc.get_threshold()
    try:
        freeze_heap()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_THRESHOLD, kept[1], kept[2])
        _Cycle()  # garbage only a collection frees
        assert gc.collect() >= 1  # cycles made afterwards are still collected
    finally:
        gc.unfreeze()
        gc.set_threshold(*kept)
