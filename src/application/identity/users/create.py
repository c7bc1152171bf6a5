"""Create a user of the tenant with roles (PLT-2)."""

from __future__ import annotations

from dataclasses import dataclass

from application.identity.ports import IDENTITY
from application.identity.roles.common import no_escalation, roles_by_key
from application.identity.security import PasswordHasher, PasswordPolicy, check_new_password
from application.shared.use_case import Command, Work
from domain.identity.permissions import USERS_MANAGE
from domain.identity.user import User, normalise_email
from domain.shared.errors import Conflict, ValidationFailed


@dataclass(frozen=True)
class NewUser:
    email: str
    display_name: str
    password: str
    role_keys: list[str]
    locale: str = "zh-CN"


class CreateUser(Command[User], action="user.create", permission=USERS_MANAGE):
    new: NewUser


class CreateUserHandler:
    def __init__(self, hasher: PasswordHasher, policy: PasswordPolicy) -> None:
        self._hasher = hasher
        self._policy = policy

    async def handle(self, command: CreateUser, work: Work) -> User:
        new, users = command.new, work.uow.of(IDENTITY).users
        email = normalise_email(new.email)
        if not new.display_name.strip():
            raise ValidationFailed.single("displayName", "required")
        check_new_password(self._policy, new.password, [email, new.display_name])
        if await users.by_email(email) is not None:
            raise Conflict("email_taken")
        roles = await roles_by_key(work.uow, new.role_keys)
        no_escalation(work.ctx, roles)
        user = User(
            id=work.ids.new_id(),
            tenant_id=work.ctx.tenant_id,
            email=email,
            display_name=new.display_name.strip(),
            password_hash=await self._hasher.hash(new.password),
            locale=new.locale,
        )
        user.take_roles(roles)
        await users.add(user)
        work.audit(user.id, detail={"roles": sorted(r.key for r in roles)})
        return user
