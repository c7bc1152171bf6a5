"""/api/v1/audit: tenant admins read who did what, when (PLT-3)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.params import QueryParameter

from application.audit.queries import ReadAuditTrail
from application.shared.audit_log import AuditFilter
from entrypoints.http.audit.schemas import AuditPageOut, AuditRecordOut
from entrypoints.http.conventions import Cursor, Limit
from entrypoints.http.dependencies import Context, Dispatch
from entrypoints.http.permissions import needs


class AuditController(Controller):
    path = "/"

    @get("/", opt=needs(ReadAuditTrail))
    async def list_audit(
        self,
        ctx: Context,
        use_cases: Dispatch,
        actor: Annotated[str | None, QueryParameter(name="actor")] = None,
        entity_type: Annotated[str | None, QueryParameter(name="entityType")] = None,
        entity_id: Annotated[UUID | None, QueryParameter(name="entityId")] = None,
        action: Annotated[str | None, QueryParameter(name="action")] = None,
        since: Annotated[datetime | None, QueryParameter(name="since")] = None,
        until: Annotated[datetime | None, QueryParameter(name="until")] = None,
        cursor: Cursor = None,
        limit: Limit = None,
    ) -> AuditPageOut:
        """Newest first; filter by actor (a label such as ``user:<id>``, or a user's
        email), entity, action and time. ``actorName`` says who each actor is."""
        page = await use_cases.query(
            ctx,
            ReadAuditTrail.window(
                AuditFilter(actor, entity_type, entity_id, action, since, until), cursor, limit
            ),
        )
        return AuditPageOut.of_page(page, AuditRecordOut.of)
