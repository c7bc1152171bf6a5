"""Every kind of timeline entry the orders module writes has the console's words in
zh-CN, zh-TW and en (the order page shows them, never the raw code)."""

from __future__ import annotations

import pytest

from domain.orders.timeline import SystemReason, TimelineKind
from entrypoints.messages import LANGUAGES, message
from entrypoints.web.orders.labels import REASON, TIMELINE


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


@pytest.mark.parametrize("reason", list(SystemReason))
def test_every_reason_the_system_gives_has_words_in_every_language(reason: SystemReason) -> None:
    """The order page says the system's reasons (``fully paid``, ``rejoined: …``) in the
    page's language; a person's own reason is shown as written."""
    label = REASON.get(reason)
    assert label is not None, f"{reason} has no label in web/orders/labels.py"
    for language in LANGUAGES:
        said = message(label, language)
        assert said != message("domain_error", language), (label, language)
        assert said != reason.value, (label, language)
