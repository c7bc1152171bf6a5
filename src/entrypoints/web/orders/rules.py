"""Settings → review rules (ORD-5): the rule set as it stands (each rule's conditions and
actions, its version) and a dry run over the most recent orders — the current rules or a
draft pasted as JSON (the API's ``rules`` array) — showing per order which rule would act,
what it would change and why, with nothing written."""

from __future__ import annotations

import json
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import State
from litestar.response import Template

from application.orders.review import DryRunRules, GetRuleSet
from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from domain.shared.errors import ValidationFailed
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.orders.fields import text, whole
from entrypoints.web.pages import page

DEFAULT_LIMIT = 50


def draft_of(raw: str | None) -> list[dict[str, Any]] | None:
    """The draft's rules: a JSON array, or an object with ``rules`` (as the API's GET
    answers it); none given: the current rule set."""
    if raw is None:
        return None
    try:
        found = json.loads(raw)
    except json.JSONDecodeError:
        raise ValidationFailed.single("draft", "invalid_value") from None
    if isinstance(found, dict):
        found = found.get("rules")
    if not isinstance(found, list):
        raise ValidationFailed.single("draft", "invalid_value")
    return found


async def _shown(
    request: Request[Any, Any, State],
    ctx: CallContext,
    use_cases: UseCases,
    **values: Any,
) -> Template:
    rule_set = await use_cases.query(ctx, GetRuleSet())
    return await page(
        request,
        use_cases,
        "orders/rules.html",
        rule_set=rule_set,
        rules=rule_set.to_dict()["rules"],
        **values,
    )


class RulePages(Controller):
    path = "/settings/order-rules"

    @get("/", name="console_order_rules", opt=needs(GetRuleSet))
    async def rules(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        return await _shown(request, ctx, use_cases, results=None, form={})

    @post("/dry-run", status_code=200, opt=needs(DryRunRules))
    async def dry_run(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Template:
        form = await request.form()
        query = DryRunRules(
            draft_of(text(form, "draft")),
            whole(form, "limit") or DEFAULT_LIMIT,
            any_status=form.get("any_status") == "on",
        )
        results = await use_cases.query(ctx, query)
        return await _shown(request, ctx, use_cases, results=results, form=dict(form))
