"""Configuration: outside development the service refuses a published or short secret; in
development without one it signs with a random key of its own (#9, item 5)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.crypto.tokens import JwtAccessTokens
from application.identity.security import AccessClaims
from bootstrap import build_container
from bootstrap.settings import PUBLISHED_TOKEN_KEY, InsecureConfiguration, Settings
from domain.shared.errors import AuthenticationFailed
from entrypoints.http.app import create_app


def test_development_accepts_the_default_secret() -> None:
    Settings(environment="development", token_signing_key=PUBLISHED_TOKEN_KEY).check_secrets()


@pytest.mark.parametrize("key", [PUBLISHED_TOKEN_KEY, "short-secret"])
def test_production_refuses_default_or_weak_secrets(key: str) -> None:
    with pytest.raises(InsecureConfiguration):
        Settings(environment="production", token_signing_key=key).check_secrets()


def test_the_app_refuses_to_start_on_a_default_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPKEEPER_ENV", "production")
    monkeypatch.delenv("SHOPKEEPER_TOKEN_SIGNING_KEY", raising=False)
    with pytest.raises(InsecureConfiguration):
        create_app()


def test_settings_come_from_shopkeeper_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPKEEPER_REDIS_URL", "redis://example:6380/2")
    monkeypatch.setenv("SHOPKEEPER_ACCESS_TOKEN_MINUTES", "5")
    settings = Settings()
    assert settings.redis_url == "redis://example:6380/2"
    assert settings.access_token_minutes == 5


async def test_development_without_a_key_signs_with_a_random_key_kept_under_var(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A service started with no SHOPKEEPER_ENV and no key signs with a key of its own: not
    the published constant, the same on the next start, another in another checkout."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHOPKEEPER_ENV", raising=False)
    monkeypatch.delenv("SHOPKEEPER_TOKEN_SIGNING_KEY", raising=False)
    claims = AccessClaims(uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
    now = datetime.now(UTC)

    async def token() -> str:
        container = build_container(Settings())
        try:
            return container.get(JwtAccessTokens).issue(claims, now)
        finally:
            await container.aclose()

    first = await token()
    published = JwtAccessTokens(PUBLISHED_TOKEN_KEY, timedelta(minutes=15))
    with pytest.raises(AuthenticationFailed):
        published.verify(first)
    kept = tmp_path / "var" / "token-signing-key"
    assert kept.stat().st_mode & 0o077 == 0
    assert len(kept.read_text().strip()) == 64
    assert await token() == first  # the next start signs with the same key

    monkeypatch.chdir(tmp_path / "var")  # another checkout: another key
    other = JwtAccessTokens(Settings().signing_key(), timedelta(minutes=15))
    with pytest.raises(AuthenticationFailed):
        other.verify(first)


def test_production_without_a_key_refuses_to_sign() -> None:
    with pytest.raises(InsecureConfiguration):
        Settings(environment="production", token_signing_key="").signing_key()


def test_each_kind_of_setting_is_parsed_and_read_per_instance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOPKEEPER_WEBHOOK_ALLOW_LOOPBACK", "TRUE")
    monkeypatch.setenv("SHOPKEEPER_WORKER_MODULES", " tests.probe, ,tests.faults ")
    monkeypatch.setenv("SHOPKEEPER_WEBHOOK_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("SHOPKEEPER_FILE_STORE_DIR", "/srv/files")
    settings = Settings()
    assert settings.webhook_allow_loopback is True
    assert settings.worker_modules == ("tests.probe", "tests.faults")
    assert settings.webhook_timeout_seconds == 2.5
    assert str(settings.file_store_dir) == "/srv/files"
    monkeypatch.setenv("SHOPKEEPER_WEBHOOK_ALLOW_LOOPBACK", "no")
    assert Settings().webhook_allow_loopback is False


def test_a_short_metrics_token_is_refused_outside_development() -> None:
    key = "k" * 40
    with pytest.raises(InsecureConfiguration):
        Settings(
            environment="production", token_signing_key=key, metrics_token="CHANGE-ME"
        ).check_secrets()
    Settings(
        environment="production", token_signing_key=key, metrics_token="m" * 32
    ).check_secrets()
    Settings(environment="production", token_signing_key=key, metrics_token="").check_secrets()
