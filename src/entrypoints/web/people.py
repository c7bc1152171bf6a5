"""Who acted on a record, by name: the ``user:<id>`` labels a page shows (who opened a
count, a transfer, a case) read through identity's own query, for a role that may read
users. The ``_actor.html`` macro says the rest in words ("a staff member", "System", …),
never the raw label."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from uuid import UUID

from application.identity.users.queries import GetUser
from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from domain.shared.errors import NotFound
from entrypoints.web.pages import View


async def people(
    use_cases: UseCases, ctx: CallContext, view: View, labels: Iterable[str]
) -> dict[str, str]:
    """By actor label, the display name of each user among ``labels`` (none without the
    permission to read users; a user since deleted is left out)."""
    if not view.can(GetUser):
        return {}
    names = {}
    for label in set(labels):
        kind, _, raw = label.partition(":")
        if kind != "user":
            continue
        with contextlib.suppress(NotFound, ValueError):
            names[label] = (await use_cases.query(ctx, GetUser(UUID(raw)))).display_name
    return names
