"""The audit trail over HTTP (PLT-3)."""

from litestar import Router

from entrypoints.http.audit.controllers import AuditController

router = Router(
    path="/api/v1/audit",
    tags=["audit"],
    route_handlers=[AuditController],
)
