"""Configuration: outside development the service refuses a default or short secret."""

from __future__ import annotations

import pytest

from bootstrap.settings import DEFAULT_TOKEN_KEY, InsecureConfiguration, Settings
from entrypoints.http.app import create_app


def test_development_accepts_the_default_secret() -> None:
    Settings(environment="development", token_signing_key=DEFAULT_TOKEN_KEY).check_secrets()


@pytest.mark.parametrize("key", [DEFAULT_TOKEN_KEY, "short-secret"])
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
