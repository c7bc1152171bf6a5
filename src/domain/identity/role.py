"""Roles: built-in ones (permissions from code) and tenant-defined custom ones."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from domain.identity.permissions import BUILTIN_ROLES, validate_permissions
from domain.shared.errors import Conflict, ValidationFailed

ROLE_KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def granted_by(key: str, builtin: bool, custom: Iterable[str]) -> frozenset[str]:
    """What a role grants: a built-in role's permissions come from code, by its key."""
    return BUILTIN_ROLES[key] if builtin else frozenset(custom)


@dataclass
class Role:
    id: UUID
    key: str
    name: str
    builtin: bool
    custom_permissions: frozenset[str]
    description: str = ""
    version: int = 1

    @property
    def permissions(self) -> frozenset[str]:
        return granted_by(self.key, self.builtin, self.custom_permissions)

    @classmethod
    def custom(
        cls, role_id: UUID, key: str, name: str, permissions: list[str], description: str = ""
    ) -> Role:
        if not ROLE_KEY.match(key):
            raise ValidationFailed.single("key", "invalid_role_key")
        if key in BUILTIN_ROLES:
            raise Conflict("role_key_taken", key=key)
        if not name.strip():
            raise ValidationFailed.single("name", "required")
        return cls(
            role_id, key, name.strip(), False, validate_permissions(permissions), description
        )

    def edit(
        self, name: str | None, permissions: list[str] | None, description: str | None
    ) -> None:
        if self.builtin:
            raise Conflict("builtin_role_immutable", key=self.key)
        if name is not None:
            if not name.strip():
                raise ValidationFailed.single("name", "required")
            self.name = name.strip()
        if permissions is not None:
            self.custom_permissions = validate_permissions(permissions)
        if description is not None:
            self.description = description
        self.version += 1

    @classmethod
    def builtin_role(cls, role_id: UUID, key: str) -> Role:
        return cls(role_id, key, key, True, frozenset())
