"""Reading the audit log (PLT-3): part of administration."""

from __future__ import annotations

AUDIT_READ = "audit:read"

PERMISSIONS = frozenset({AUDIT_READ})

GRANTS: dict[str, frozenset[str]] = {}
