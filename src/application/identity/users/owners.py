"""The last-owner guard (PLT-2): every change that can take a user out of the tenant's
active owners — a role change, and deactivation or deletion — calls ``keep_an_owner``
first, so a company is never left without one (``domain.identity.access``)."""

from __future__ import annotations

from application.identity.ports import IDENTITY
from application.shared.unit_of_work import UnitOfWork
from domain.identity.access import OWNER_ROLE, check_an_owner_remains
from domain.identity.user import User


async def keep_an_owner(uow: UnitOfWork, user: User) -> None:
    """Refuse (409 ``last_owner``) when ``user`` is the tenant's only active owner. Locks
    the owner role, so two owners demoting each other at once cannot both succeed."""
    roles = uow.of(IDENTITY).roles
    owner = await roles.by_key(OWNER_ROLE)
    if owner is None or owner.id not in user.role_ids:
        return
    check_an_owner_remains(await roles.active_members(owner.id), user.id)
