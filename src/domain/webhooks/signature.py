"""Standard Webhooks signatures (https://www.standardwebhooks.com).

``webhook-id`` names the message and stays the same on every retry of a delivery, so the
receiver can deduplicate; each attempt carries a fresh ``webhook-timestamp`` and a fresh
signature over ``{id}.{timestamp}.{body}``: HMAC-SHA256 keyed with the base64-decoded
secret, sent as ``v1,<base64>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from typing import Any
from uuid import UUID

SECRET_PREFIX = "whsec_"  # noqa: S105 - the spec's prefix, not a secret
SECRET_BYTES = 32  # the spec asks for 24 to 64 random bytes


def new_secret(random_bytes: bytes) -> str:
    """``whsec_`` + base64 of the random bytes (generated outside the domain)."""
    if not 24 <= len(random_bytes) <= 64:
        # guard: the use case draws SECRET_BYTES random bytes
        raise ValueError("a webhook secret needs 24 to 64 random bytes")
    return SECRET_PREFIX + base64.b64encode(random_bytes).decode("ascii")


def secret_key(secret: str) -> bytes:
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error:
        # guard: secrets are stored as new_secret wrote them
        raise ValueError("not a webhook secret") from None


def message_id(delivery_id: UUID) -> str:
    """The ``webhook-id`` of every attempt of one delivery (replays included)."""
    return f"msg_{delivery_id}"


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
        "content-type": "application/json",
    }


def encode_body(payload: dict[str, Any]) -> bytes:
    """The same bytes for the same payload on every attempt (sorted keys, no spaces)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
