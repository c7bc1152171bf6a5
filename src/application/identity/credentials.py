"""Opaque credentials that carry their tenant in the prefix (refresh tokens, API keys).

Only a SHA-256 of the secret part is stored; the secrets are 256-bit random, so a slow
hash adds nothing and a fast one keeps authentication cheap.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from uuid import UUID

from domain.shared.errors import AuthenticationFailed, DomainError

REFRESH_PREFIX = "skr"
API_KEY_PREFIX = "sk"


@contextmanager
def answered_in(locale: str) -> Iterator[None]:
    """Errors raised inside answer in the company's language when the caller asked for
    none (``DomainError.concerning``). Only where the caller named the company by its id
    (a signed access token, a refresh token or an API key carry it): an id cannot be
    guessed, so its language tells nothing new. Never around a login by slug's failure
    (decision 42)."""
    try:
        yield
    except DomainError as error:
        error.concerning(locale)
        raise


def digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def new_refresh_token(tenant_id: UUID) -> str:
    return f"{REFRESH_PREFIX}_{tenant_id.hex}_{secrets.token_urlsafe(32)}"


def refresh_token_tenant(token: str) -> UUID:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != REFRESH_PREFIX:
        raise AuthenticationFailed("invalid_refresh_token")
    try:
        return UUID(hex=parts[1])
    except ValueError:
        raise AuthenticationFailed("invalid_refresh_token") from None


@dataclass(frozen=True)
class ApiKeyParts:
    tenant_id: UUID
    key_id: UUID
    secret: str


def new_api_key(tenant_id: UUID, key_id: UUID) -> str:
    return f"{API_KEY_PREFIX}_{tenant_id.hex}_{key_id.hex}_{secrets.token_urlsafe(32)}"


def parse_api_key(key: str) -> ApiKeyParts:
    parts = key.split("_", 3)
    if len(parts) != 4 or parts[0] != API_KEY_PREFIX:
        raise AuthenticationFailed("invalid_api_key")
    try:
        return ApiKeyParts(UUID(hex=parts[1]), UUID(hex=parts[2]), parts[3])
    except ValueError:
        raise AuthenticationFailed("invalid_api_key") from None
