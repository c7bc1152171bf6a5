"""The webhooks module's permission (CHN-3): only the owner and admins hold it."""

from __future__ import annotations

WEBHOOKS_MANAGE = "webhooks:manage"

PERMISSIONS = frozenset({WEBHOOKS_MANAGE})

GRANTS: dict[str, frozenset[str]] = {}
