"""The console's two secrets, derived from the token signing key (one secret to configure
and rotate): the key that encrypts the session cookie and the key that signs CSRF tokens.
Rotating ``SHOPKEEPER_TOKEN_SIGNING_KEY`` signs everyone out of the console, as it does
out of the API."""

from __future__ import annotations

import hashlib
import hmac

from bootstrap.settings import Settings


def _derived(settings: Settings, purpose: str) -> bytes:
    return hmac.new(settings.signing_key().encode(), purpose.encode(), hashlib.sha256).digest()


def session_key(settings: Settings) -> bytes:
    """32 bytes: the AES-GCM key of the session cookie."""
    return _derived(settings, "shopkeeper console session")


def csrf_secret(settings: Settings) -> str:
    return _derived(settings, "shopkeeper console csrf").hex()
