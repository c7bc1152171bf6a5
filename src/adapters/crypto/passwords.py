"""Argon2id password hashing (argon2-cffi). Tests use the cheap profile."""

from __future__ import annotations

from argon2 import PasswordHasher as Argon2Hasher
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError


def _hasher(profile: str) -> Argon2Hasher:
    if profile == "fast-insecure-test":
        return Argon2Hasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    return Argon2Hasher(type=Type.ID)  # RFC 9106 low-memory profile, library defaults


class Argon2PasswordHasher:
    def __init__(self, profile: str = "default") -> None:
        self._hasher = _hasher(profile)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
