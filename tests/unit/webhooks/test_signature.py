"""Standard Webhooks signatures, checked with the independent ``standardwebhooks`` package
(CHN-3): what we sign verifies; a tampered body, id or timestamp does not."""

from __future__ import annotations

import base64
import time
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from domain.webhooks.signature import (
    SECRET_PREFIX,
    encode_body,
    message_id,
    new_secret,
    secret_key,
    sign,
    signed_headers,
)

SECRET = new_secret(bytes(range(32)))
BODY = encode_body({"type": "customer.updated", "data": {"entityId": "x", "名": "值"}})


def test_a_secret_is_whsec_and_base64_of_its_random_bytes() -> None:
    raw = bytes(range(24, 56))
    secret = new_secret(raw)
    assert secret.startswith(SECRET_PREFIX)
    assert base64.b64decode(secret.removeprefix(SECRET_PREFIX)) == raw
    assert secret_key(secret) == raw
    with pytest.raises(ValueError):
        new_secret(b"too short")


def test_every_signed_request_verifies_with_standardwebhooks() -> None:
    headers = signed_headers(SECRET, message_id(uuid.uuid4()), int(time.time()), BODY)
    assert headers["content-type"] == "application/json"
    assert headers["webhook-signature"].startswith("v1,")
    payload = Webhook(SECRET).verify(BODY, headers)
    assert payload["type"] == "customer.updated"


@settings(max_examples=50)
@given(body=st.binary(min_size=0, max_size=200), raw=st.binary(min_size=24, max_size=64))
def test_signatures_agree_with_the_reference_implementation(body: bytes, raw: bytes) -> None:
    secret = new_secret(raw)
    msg_id, timestamp = "msg_test", int(time.time())
    text = body.decode("latin-1").encode()  # the reference signs text: give it valid UTF-8
    headers = signed_headers(secret, msg_id, timestamp, text)
    Webhook(secret).verify(text, headers, json_parse=False)


def test_a_tampered_body_does_not_verify() -> None:
    headers = signed_headers(SECRET, "msg_1", int(time.time()), BODY)
    tampered = BODY.replace(b"customer.updated", b"customer.erased")
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(tampered, headers)


def test_a_tampered_timestamp_or_id_does_not_verify() -> None:
    now = int(time.time())
    headers = signed_headers(SECRET, "msg_1", now, BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(BODY, {**headers, "webhook-timestamp": str(now - 1)})
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(BODY, {**headers, "webhook-id": "msg_2"})


def test_another_secret_does_not_verify() -> None:
    headers = signed_headers(SECRET, "msg_1", int(time.time()), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret(bytes(32))).verify(BODY, headers)


def test_the_same_payload_always_encodes_to_the_same_bytes() -> None:
    assert encode_body({"b": 1, "a": [1, 2]}) == encode_body({"a": [1, 2], "b": 1})
    assert encode_body({"a": "中文"}) == '{"a":"中文"}'.encode()


def test_signature_is_hmac_sha256_over_id_timestamp_body() -> None:
    import hashlib
    import hmac

    expected = hmac.new(bytes(range(32)), b"msg_1.1700000000." + BODY, hashlib.sha256).digest()
    assert sign(SECRET, "msg_1", 1_700_000_000, BODY) == "v1," + base64.b64encode(expected).decode()


def test_the_webhook_id_names_the_delivery() -> None:
    delivery = uuid.uuid4()
    assert message_id(delivery) == f"msg_{delivery}"
