"""Reading the tenant's users (PLT-2)."""

from __future__ import annotations

from uuid import UUID

from application.identity.ports import IDENTITY
from application.shared.use_case import Query, Reading
from domain.identity.permissions import USERS_READ
from domain.identity.user import User
from domain.shared.errors import NotFound


class ListUsers(Query[list[User]], entity="user", permission=USERS_READ):
    pass


class ListUsersHandler:
    async def handle(self, query: ListUsers, reading: Reading) -> list[User]:
        return await reading.uow.of(IDENTITY).users.list_all()


class GetUser(Query[User], entity="user", permission=USERS_READ):
    """One user of the company; another company's id is not found (its rows are not seen)."""

    user_id: UUID


class GetUserHandler:
    async def handle(self, query: GetUser, reading: Reading) -> User:
        user = await reading.uow.of(IDENTITY).users.get(query.user_id)
        if user is None:
            raise NotFound(entity="user")
        return user
