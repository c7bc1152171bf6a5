"""The console's form readers (web/forms.py): a field left empty is None (or refused when
required), a malformed one the platform's validation problem naming the field."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from domain.orders.payment_records import PaymentMethod
from domain.shared.errors import ValidationFailed
from entrypoints.messages import message
from entrypoints.web.forms import a_choice, a_moment, a_text, a_whole, ids_in, required

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _refusal(call: Callable[[], Any]) -> tuple[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        call()
    (error,) = refused.value.errors
    return error.field, error.code


def test_empty_fields_are_none_and_a_required_one_is_refused_by_name() -> None:
    assert a_text("  ") is None and a_text(None) is None and a_text(" 核对 ") == "核对"
    assert a_whole("priority", "") is None and a_whole("priority", " 7 ") == 7
    assert a_choice(PaymentMethod, "method", "") is None
    assert a_moment("until", " ", SHANGHAI) is None
    assert required("reason", "x") == "x"
    assert _refusal(lambda: required("reason", a_text(""))) == ("reason", "required")


def test_malformed_fields_are_refused_naming_the_field() -> None:
    assert _refusal(lambda: a_whole("priority", "high")) == ("priority", "invalid_value")
    assert _refusal(lambda: a_choice(PaymentMethod, "method", "gold")) == (
        "method",
        "invalid_choice",
    )
    assert _refusal(lambda: a_moment("until", "tomorrow", SHANGHAI)) == ("until", "invalid_value")
    assert _refusal(lambda: ids_in("order_ids", ["nope"])) == ("order_ids", "invalid_id")


def test_a_refused_choice_lists_the_allowed_values_as_the_language_says_a_list() -> None:
    with pytest.raises(ValidationFailed) as refused:
        a_choice(PaymentMethod, "method", "gold")
    (error,) = refused.value.errors
    *first, last = [method.value for method in PaymentMethod]
    english = f"Choose one of: {', '.join(first)}, and {last}."
    assert message(error.code, "en", **error.params) == english
    chinese = f"请从以下选项中选择：{'、'.join(first)}和{last}。"
    assert message(error.code, "zh-CN", **error.params) == chinese


def test_values_are_read_as_their_kind() -> None:
    assert a_choice(PaymentMethod, "method", " cash ") is PaymentMethod.CASH
    until = a_moment("until", "2026-12-08T09:30", SHANGHAI)
    assert until == datetime(2026, 12, 8, 9, 30, tzinfo=SHANGHAI)
    first = uuid.uuid4()
    assert ids_in("order_ids", [str(first), "", " "]) == (first,)
