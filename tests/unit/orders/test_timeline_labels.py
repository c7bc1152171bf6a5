"""Every kind of timeline entry the orders module writes has the console's words in
zh-CN, zh-TW and en (the order page shows them, never the raw code)."""

from __future__ import annotations

import pytest

from domain.orders.timeline import TimelineKind
from entrypoints.messages import LANGUAGES, message
from entrypoints.web.orders.labels import TIMELINE


@pytest.mark.parametrize("kind", list(TimelineKind))
def test_every_timeline_kind_has_a_label_in_every_language(kind: TimelineKind) -> None:
    label = TIMELINE.get(kind)
    assert label is not None, f"{kind} has no label in web/orders/labels.py"
    for language in LANGUAGES:
        said = message(label, language)
        assert said != message("domain_error", language), (label, language)
        assert said != kind.value, (label, language)  # words, not the code


def test_the_labels_name_only_kinds_that_exist() -> None:
    assert set(TIMELINE) == set(TimelineKind)
