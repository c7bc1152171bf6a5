"""Users belong to one tenant; their email is unique within it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

from domain.identity.role import Role
from domain.shared.errors import ValidationFailed

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10


def normalise_email(email: str) -> str:
    value = email.strip().lower()
    if not EMAIL.match(value) or len(value) > 254:
        raise ValidationFailed.single("email", "invalid_email")
    return value


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed.single("password", "password_too_short", min=MIN_PASSWORD_LENGTH)


@dataclass
class User:
    id: UUID
    tenant_id: UUID
    email: str
    display_name: str
    password_hash: str
    locale: str = "zh-CN"
    active: bool = True
    role_ids: list[UUID] = field(default_factory=list)
    version: int = 1
    # The keys of those roles, sorted: what people read ("owner", "warehouse"); read with
    # the user, never stored apart from the roles themselves.
    role_keys: list[str] = field(default_factory=list)

    def take_roles(self, roles: Sequence[Role]) -> None:
        """The roles the user holds from now on."""
        self.role_ids = [role.id for role in roles]
        self.role_keys = sorted(role.key for role in roles)
