"""Create a custom role (PLT-2)."""

from __future__ import annotations

from dataclasses import dataclass

from application.identity.ports import IDENTITY
from application.identity.roles.common import no_escalation
from application.shared.use_case import Command, Work
from domain.identity.permissions import ROLES_MANAGE
from domain.identity.role import Role
from domain.shared.errors import Conflict


@dataclass(frozen=True)
class NewRole:
    key: str
    name: str
    permissions: list[str]
    description: str = ""


class CreateRole(Command[Role], action="role.create", permission=ROLES_MANAGE):
    new: NewRole


class CreateRoleHandler:
    async def handle(self, command: CreateRole, work: Work) -> Role:
        new, roles = command.new, work.uow.of(IDENTITY).roles
        role = Role.custom(work.ids.new_id(), new.key, new.name, new.permissions, new.description)
        no_escalation(work.ctx, [role])
        if await roles.by_key(role.key) is not None:
            raise Conflict("role_key_taken", key=role.key)
        await roles.add(role)
        work.audit(role.id, {}, {"name": role.name, "permissions": sorted(role.permissions)})
        return role
