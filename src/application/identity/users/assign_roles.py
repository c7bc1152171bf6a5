"""Replace a user's roles (PLT-2): nobody hands out a permission they do not hold, nor
changes the roles of a user holding one they do not; the last active owner stays one."""

from __future__ import annotations

from uuid import UUID

from application.identity.ports import IDENTITY
from application.identity.roles.common import no_escalation, roles_by_key
from application.identity.users.owners import keep_an_owner
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.identity.access import OWNER_ROLE
from domain.identity.permissions import USERS_MANAGE
from domain.identity.user import User
from domain.shared.errors import NotFound


class AssignRoles(Command[User], action="user.assign_roles", permission=USERS_MANAGE):
    user_id: UUID
    role_keys: list[str]
    expected_version: int | None


class AssignRolesHandler:
    async def handle(self, command: AssignRoles, work: Work) -> User:
        users = work.uow.of(IDENTITY).users
        user = await users.get(command.user_id)
        if user is None:
            raise NotFound(entity="user")
        check_version(command.expected_version, user.version)
        roles = await roles_by_key(work.uow, command.role_keys)
        held_now = await work.uow.of(IDENTITY).roles.permissions_of_user(user.id)
        no_escalation(work.ctx, roles, held_now)
        if OWNER_ROLE not in {r.key for r in roles}:
            await keep_an_owner(work.uow, user)
        before = sorted(str(r) for r in user.role_ids)
        user.take_roles(roles)
        user.version += 1
        await users.save(user)
        work.audit(user.id, {"roles": before}, {"roles": sorted(str(r) for r in user.role_ids)})
        return user
