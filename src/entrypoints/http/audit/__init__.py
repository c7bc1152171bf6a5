"""The audit trail over HTTP (PLT-3)."""

from litestar import Router

from application.audit.queries import AuditQueries
from entrypoints.http.audit.controllers import AuditController
from entrypoints.http.dependencies import service

router = Router(
    path="/api/v1/audit",
    tags=["audit"],
    route_handlers=[AuditController],
    dependencies={"audit": service(AuditQueries)},
)
