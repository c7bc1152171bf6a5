"""Every notification template exists in zh-CN, zh-TW and en and renders in each (PLT-7)."""

from __future__ import annotations

import pytest
from jinja2 import Environment, meta

from adapters.notifications.templates import TEMPLATE_DIR, JinjaMessageTemplates
from application.notifications.ports import UnknownTemplate
from domain.notifications.language import LANGUAGES

TEMPLATES = JinjaMessageTemplates()
KEYS = sorted(TEMPLATES.keys())


def _parameters(key: str, language: str) -> dict[str, str | int]:
    """Every variable the template uses, filled with a code or a number."""
    source = (TEMPLATE_DIR / f"{key}.{language}.txt").read_text(encoding="utf-8")
    names = meta.find_undeclared_variables(Environment().parse(source)) - {"link"}
    return {name: (7 if i % 2 else f"CODE-{i}") for i, name in enumerate(sorted(names))}


def test_there_are_templates() -> None:
    assert {"test", "order.status_changed", "stock.low"} <= set(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_every_template_exists_in_every_language(key: str) -> None:
    assert TEMPLATES.keys()[key] == set(LANGUAGES)


@pytest.mark.parametrize("key", KEYS)
def test_every_template_renders_a_subject_and_body_per_language(key: str) -> None:
    rendered = {}
    for language in LANGUAGES:
        params = _parameters(key, language)
        message = TEMPLATES.render(key, language, params, "/orders/42")
        assert message.subject.strip() and "\n" not in message.subject, (language, message)
        assert message.body.strip(), (language, message)
        assert "{{" not in message.subject + message.body
        rendered[language] = message
    # Written for each language, not copied: no two languages share a subject or a body.
    assert len({m.subject for m in rendered.values()}) == len(LANGUAGES)
    assert len({m.body for m in rendered.values()}) == len(LANGUAGES)


def test_parameters_and_link_are_filled_in() -> None:
    params = {"orderNumber": "SO-20240501-7", "status": "shipped"}
    zh_cn = TEMPLATES.render("order.status_changed", "zh-CN", params, "/orders/1")
    zh_tw = TEMPLATES.render("order.status_changed", "zh-TW", params, "/orders/1")
    en = TEMPLATES.render("order.status_changed", "en", params, "/orders/1")
    assert zh_cn.subject == "订单 SO-20240501-7 已发货"
    assert zh_tw.subject == "訂單 SO-20240501-7 已出貨"
    assert en.subject == "Order SO-20240501-7 shipped"
    assert "/orders/1" in en.body
    assert "/orders/" not in TEMPLATES.render("order.status_changed", "en", params).body


def test_a_missing_parameter_is_an_error_not_a_blank() -> None:
    with pytest.raises(ValueError, match="orderNumber"):
        TEMPLATES.render("order.status_changed", "en", {"status": "paid"})


def test_unknown_templates_and_languages_are_refused() -> None:
    with pytest.raises(UnknownTemplate):
        TEMPLATES.render("no.such_template", "en", {})
    with pytest.raises(UnknownTemplate):
        TEMPLATES.render("test", "fr", {})


def test_plain_text_is_not_html_escaped() -> None:
    message = TEMPLATES.render("test", "en", {"reference": "A&B<1>"})
    assert "A&B<1>" in message.body
