"""Settings → the audit log (PLT-3): who did what, when, from where — with filters."""

from litestar import Router

from application.audit.queries import ReadAuditTrail
from entrypoints.web.audit.trail import AuditPages
from entrypoints.web.menu import MenuItem

router = Router(path="/settings/audit", route_handlers=[AuditPages])
MENU = (MenuItem("nav.audit", "/console/settings/audit", ReadAuditTrail, order=990),)
