"""Access tokens (adapters/crypto/tokens.py): a token's signature and claims are checked
once in a process, its expiry on every use; a token that fails is never kept (PLT-2: who
the caller is; PLT-9: the check's cost on every placement)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from adapters.crypto import tokens
from adapters.crypto.tokens import JwtAccessTokens
from application.identity.security import AccessClaims
from domain.shared.errors import AuthenticationFailed

KEY = "unit-test-signing-key-" + "k" * 32


def _claims() -> AccessClaims:
    return AccessClaims(uuid.uuid4(), uuid.uuid4(), uuid.uuid4())


def test_a_verified_token_answers_its_claims_again_without_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    access = JwtAccessTokens(KEY, timedelta(minutes=15))
    claims = _claims()
    token = access.issue(claims, datetime.now(UTC))
    assert access.verify(token) == claims

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("decoded again")

    monkeypatch.setattr(jwt, "decode", refuse)
    assert access.verify(token) == claims


def test_a_kept_token_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    access = JwtAccessTokens(KEY, timedelta(minutes=15))
    issued = datetime.now(UTC)
    token = access.issue(_claims(), issued)
    access.verify(token)
    later = (issued + timedelta(minutes=15)).timestamp()
    monkeypatch.setattr(tokens.time, "time", lambda: later)
    with pytest.raises(AuthenticationFailed) as refused:
        access.verify(token)
    assert refused.value.code == "token_expired"
    assert token not in access._verified  # no longer kept: decoded (and refused) anew


def test_a_token_from_before_its_start_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    access = JwtAccessTokens(KEY, timedelta(minutes=15))
    issued = datetime.now(UTC)
    token = access.issue(_claims(), issued)
    access.verify(token)
    earlier = issued.timestamp() - 60  # the clock went back
    monkeypatch.setattr(tokens.time, "time", lambda: earlier)
    with pytest.raises(AuthenticationFailed) as refused:
        access.verify(token)
    assert refused.value.code == "invalid_token"


def test_a_tampered_token_is_refused_every_time_and_never_kept() -> None:
    access = JwtAccessTokens(KEY, timedelta(minutes=15))
    token = access.issue(_claims(), datetime.now(UTC))
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    for _ in range(2):
        with pytest.raises(AuthenticationFailed) as refused:
            access.verify(forged)
        assert refused.value.code == "invalid_token"
    other = JwtAccessTokens("another-signing-key-" + "o" * 32, timedelta(minutes=15))
    with pytest.raises(AuthenticationFailed):  # a token kept by one key is not another's
        other.verify(token)


def test_the_kept_tokens_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "VERIFIED_KEPT", 3)
    access = JwtAccessTokens(KEY, timedelta(minutes=15))
    now = datetime.now(UTC)
    issued = [access.issue(_claims(), now) for _ in range(7)]
    for token in issued:
        access.verify(token)
    assert all(access.verify(token) for token in issued)  # still answered, decoded anew
    assert len(access._verified) <= 3
