"""Reading the tenant's users (PLT-2)."""

from __future__ import annotations

from uuid import UUID

from application.identity.ports import IDENTITY, actor_names
from application.shared.use_case import SIGNED_IN, Query, Reading
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


class NameActors(Query[dict[str, str]], entity="user", permission=SIGNED_IN):
    """Who acted on a record, by name (``actor_names``: a person or an API key of the
    company; other labels are their own name): the labels a page shows — who opened a
    count, a transfer, a case, a job — said as an order's timeline and the audit trail
    say them."""

    actors: tuple[str, ...]


class NameActorsHandler:
    async def handle(self, query: NameActors, reading: Reading) -> dict[str, str]:
        return await actor_names(reading.uow, query.actors)
