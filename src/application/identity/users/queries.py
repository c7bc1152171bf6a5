"""Reading the tenant's users (PLT-2)."""

from __future__ import annotations

from application.identity.ports import IDENTITY
from application.shared.use_case import Query, Reading
from domain.identity.permissions import USERS_READ
from domain.identity.user import User


class ListUsers(Query[list[User]], entity="user", permission=USERS_READ):
    pass


class ListUsersHandler:
    async def handle(self, query: ListUsers, reading: Reading) -> list[User]:
        return await reading.uow.of(IDENTITY).users.list_all()
