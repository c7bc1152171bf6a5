"""Short-lived signed access tokens (JWT, HS256) with issuer and audience checked.

A token's signature and claims are checked once in a process: every request of a client
sends the same token for its whole life (at most 15 minutes), and PyJWT's checks (the
base64url alphabet character by character, the header's and claims' JSON, the HMAC) were
about 2 % of an order placement's CPU (bench/README.md, P1). The claims of a token that
passed are kept, by the token's exact text, until it expires; its expiry and start are
checked again on every use. A token that fails is never kept, and whether its user, session
and tenant still stand is read from the database on every request as before.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from uuid import UUID

import jwt

from application.identity.security import AccessClaims
from domain.shared.errors import AuthenticationFailed

ISSUER = "shopkeeper"
AUDIENCE = "shopkeeper-api"
ALGORITHM = "HS256"
VERIFIED_KEPT = 4096  # tokens whose claims a process keeps (emptied when full)


class JwtAccessTokens:
    def __init__(self, signing_key: str, lifetime: timedelta) -> None:
        if lifetime > timedelta(minutes=15):
            raise ValueError("access tokens live at most 15 minutes")
        self._key = signing_key
        self._lifetime = lifetime
        # token -> its claims, not-before and expiry (Unix seconds), once verified
        self._verified: dict[str, tuple[AccessClaims, int, int]] = {}

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
        kept = self._verified.get(token)
        if kept is None:
            return self._verified_now(token)
        claims, not_before, expires = kept
        now = time.time()
        if now >= expires:  # as PyJWT decides it, without leeway
            del self._verified[token]
            raise AuthenticationFailed("token_expired")
        if now < not_before:  # the clock went back: PyJWT would refuse it as immature
            raise AuthenticationFailed("invalid_token")
        return claims

    def _verified_now(self, token: str) -> AccessClaims:
        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],  # never "none", never a key-confusion algorithm
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "aud", "iss"]},
            )
            claims = AccessClaims(UUID(payload["sub"]), UUID(payload["tid"]), UUID(payload["sid"]))
            not_before = max(int(payload["iat"]), int(payload.get("nbf", payload["iat"])))
            expires = int(payload["exp"])
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed("token_expired") from None
        except (jwt.PyJWTError, KeyError, ValueError, TypeError):
            raise AuthenticationFailed("invalid_token") from None
        if len(self._verified) >= VERIFIED_KEPT:
            self._verified.clear()
        self._verified[token] = (claims, not_before, expires)
        return claims
