"""Edit a custom role (PLT-2): name, permissions, description."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.identity.ports import IDENTITY
from application.identity.roles.common import no_escalation
from application.shared.use_case import Command, Work
from application.shared.versions import check_version
from domain.identity.permissions import ROLES_MANAGE
from domain.identity.role import Role
from domain.shared.errors import NotFound


@dataclass(frozen=True)
class RoleChanges:
    name: str | None = None
    permissions: list[str] | None = None
    description: str | None = None


def _snapshot(role: Role) -> dict[str, object]:
    return {
        "name": role.name,
        "permissions": sorted(role.permissions),
        "description": role.description,
    }


class EditRole(Command[Role], action="role.update", permission=ROLES_MANAGE):
    role_id: UUID
    changes: RoleChanges
    expected_version: int | None


class EditRoleHandler:
    async def handle(self, command: EditRole, work: Work) -> Role:
        roles, changes = work.uow.of(IDENTITY).roles, command.changes
        role = await roles.get(command.role_id)
        if role is None:
            raise NotFound(entity="role")
        check_version(command.expected_version, role.version)
        before, held_now = _snapshot(role), role.permissions
        role.edit(changes.name, changes.permissions, changes.description)
        no_escalation(work.ctx, [role], held_now)  # what it gives and what it took away
        await roles.save(role)
        work.audit(role.id, before, _snapshot(role))
        return role
