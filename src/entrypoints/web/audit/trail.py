"""The audit trail, newest first, filtered by actor (an email or a label), action, entity
and days in the company's time zone; each record's changes (personal fields redacted by
the runner) unfold on demand."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Template

from application.audit.queries import ReadAuditTrail
from application.shared.audit_log import AuditFilter
from domain.shared.errors import ValidationFailed
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs
from entrypoints.web.pages import page, view_of


def _day(name: str, value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed.single(name, "invalid_value") from None


def changes_text(changes: list[dict[str, Any]], detail: dict[str, Any]) -> str:
    shown = {"changes": changes, **({"detail": detail} if detail else {})}
    return json.dumps(shown, ensure_ascii=False, indent=2, default=str)


class AuditPages(Controller):
    @get("/", name="console_audit", opt=needs(ReadAuditTrail))
    async def trail(
        self,
        request: Request[Any, Any, State],
        ctx: Context,
        use_cases: Dispatch,
        actor: FromQuery[str] = "",
        action: FromQuery[str] = "",
        entity: FromQuery[str] = "",
        since: FromQuery[str] = "",
        until: FromQuery[str] = "",
        cursor: FromQuery[str | None] = None,
    ) -> Template:
        view = await view_of(request, use_cases)
        zone = view.formats.zone
        first, last = _day("since", since), _day("until", until)
        flt = AuditFilter(
            actor=actor.strip() or None,
            entity_type=entity.strip() or None,
            action=action.strip() or None,
            since=datetime.combine(first, time(), zone) if first else None,
            until=datetime.combine(last + timedelta(days=1), time(), zone) if last else None,
        )
        found = await use_cases.query(ctx, ReadAuditTrail.window(flt, cursor, None))
        asked = {"actor": actor, "action": action, "entity": entity, "since": since, "until": until}
        return await page(
            request,
            use_cases,
            "audit/trail.html",
            view=view,
            found=found,
            asked=asked,
            changes_text=changes_text,
        )
