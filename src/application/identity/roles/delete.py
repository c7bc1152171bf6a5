"""Delete a custom role no user holds (PLT-2); built-in roles cannot be deleted."""

from __future__ import annotations

from uuid import UUID

from application.identity.ports import IDENTITY
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.identity.permissions import ROLES_MANAGE
from domain.shared.errors import Conflict, NotFound


class DeleteRole(Command[None], action="role.delete", permission=ROLES_MANAGE):
    role_id: UUID
    expected_version: int | None


class DeleteRoleHandler:
    async def handle(self, command: DeleteRole, work: Work) -> None:
        roles, role_id = work.uow.of(IDENTITY).roles, command.role_id
        role = await roles.get(role_id)
        if role is None:
            raise NotFound(entity="role")
        check_version(command.expected_version, role.version)
        if role.builtin:
            raise Conflict("builtin_role_immutable", key=role.key)
        if await roles.members(role_id):
            raise Conflict("role_in_use", key=role.key)
        await roles.delete(role_id)
        work.audit(role_id, detail={"key": role.key})
