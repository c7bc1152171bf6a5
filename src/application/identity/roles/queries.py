"""Reading the tenant's roles (PLT-2)."""

from __future__ import annotations

from uuid import UUID

from application.identity.ports import IDENTITY
from application.shared.use_case import Query, Reading
from domain.identity.permissions import ROLES_READ
from domain.identity.role import Role
from domain.shared.errors import NotFound


class ListRoles(Query[list[Role]], entity="role", permission=ROLES_READ):
    pass


class ListRolesHandler:
    async def handle(self, query: ListRoles, reading: Reading) -> list[Role]:
        return await reading.uow.of(IDENTITY).roles.list_all()


class GetRole(Query[Role], entity="role", permission=ROLES_READ):
    role_id: UUID


class GetRoleHandler:
    async def handle(self, query: GetRole, reading: Reading) -> Role:
        role = await reading.uow.of(IDENTITY).roles.get(query.role_id)
        if role is None:
            raise NotFound(entity="role")
        return role
