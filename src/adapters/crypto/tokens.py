"""Short-lived signed access tokens (JWT, HS256) with issuer and audience checked."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import jwt

from application.identity.security import AccessClaims
from domain.shared.errors import AuthenticationFailed

ISSUER = "shopkeeper"
AUDIENCE = "shopkeeper-api"
ALGORITHM = "HS256"


class JwtAccessTokens:
    def __init__(self, signing_key: str, lifetime: timedelta) -> None:
        if lifetime > timedelta(minutes=15):
            raise ValueError("access tokens live at most 15 minutes")
        self._key = signing_key
        self._lifetime = lifetime

    @property
    def lifetime_seconds(self) -> int:
        return int(self._lifetime.total_seconds())

    def issue(self, claims: AccessClaims, now: datetime) -> str:
        payload = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(claims.user_id),
            "tid": str(claims.tenant_id),
            "sid": str(claims.session_id),
            "iat": int(now.timestamp()),
            "nbf": int(now.timestamp()),
            "exp": int((now + self._lifetime).timestamp()),
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM)

    def verify(self, token: str) -> AccessClaims:
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],  # never "none", never a key-confusion algorithm
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
            return AccessClaims(UUID(payload["sub"]), UUID(payload["tid"]), UUID(payload["sid"]))
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("token_expired") from None
        except (jwt.PyJWTError, KeyError, ValueError):
            raise AuthenticationFailed("invalid_token") from None
