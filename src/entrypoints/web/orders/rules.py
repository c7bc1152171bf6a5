"""Settings → review rules (ORD-5): the rule set as it stands (each rule's conditions and
actions, its version); the rules edited as JSON (the API's ``rules`` array, the current
ones filled in) and saved at the version shown (``SaveRuleSet``: a stale one is refused,
the same rules again write nothing); and a dry run over the most recent orders — the
current rules or a draft pasted as JSON — showing per order which rule would act, what it
would change and why, with nothing written."""

from __future__ import annotations

import json
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.response import Template

from application.orders.review import DryRunRules, GetRuleSet, SaveRuleSet
from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from domain.shared.errors import ValidationFailed
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.forms import a_text, a_whole, required, version_of
from entrypoints.web.pages import done, page, view_of

DEFAULT_LIMIT = 50


RULES = "/console/settings/order-rules"


def draft_of(raw: str | None, field: str = "draft") -> list[dict[str, Any]] | None:
    """The rules of a JSON field: an array, or an object with ``rules`` (as the API's GET
    answers it); none given: none (the dry run then takes the current rule set)."""
    if raw is None:
        return None
    try:
        found = json.loads(raw)
    except json.JSONDecodeError:
        raise ValidationFailed.single(field, "invalid_value") from None
    if isinstance(found, dict):
        found = found.get("rules")
    if not isinstance(found, list):
        raise ValidationFailed.single(field, "invalid_value")
    return found


async def _shown(
    request: Request[Any, Any, State],
    ctx: CallContext,
    use_cases: UseCases,
    **values: Any,
) -> Template:
    rule_set = await use_cases.query(ctx, GetRuleSet())
    rules = rule_set.to_dict()["rules"]
    view = await view_of(request, use_cases)
    return await page(
        request,
        use_cases,
        "orders/rules.html",
        view=view,
        rule_set=rule_set,
        rules=rules,
        rules_json=json.dumps(rules, ensure_ascii=False, indent=2),
        can_save=view.can(SaveRuleSet),
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
            draft_of(a_text(form.get("draft"))),
            a_whole("limit", form.get("limit")) or DEFAULT_LIMIT,
            any_status=form.get("any_status") == "on",
        )
        results = await use_cases.query(ctx, query)
        return await _shown(request, ctx, use_cases, results=results, form=dict(form))

    @post("/", status_code=303, opt=needs(SaveRuleSet))
    async def save(
        self, request: Request[Any, Any, State], ctx: Context, use_cases: Dispatch
    ) -> Response[Any]:
        form = await request.form()
        rules = required("rules", draft_of(a_text(form.get("rules")), "rules"))
        version = version_of(form.get("version") or "")
        saved = await use_cases.run(ctx, SaveRuleSet(rules, version))
        if saved.version == version:  # the same rules: nothing written
            return done(request, RULES, "orders.nothing_changed")
        return done(request, RULES, "orders.rules_saved", version=saved.version)
