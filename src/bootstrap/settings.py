"""Configuration from ``SHOPKEEPER_*`` environment variables, with local defaults.

Defaults are for development on one machine. Outside development (``SHOPKEEPER_ENV`` other
than ``development``/``test``) the service refuses to start with a default secret.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

DEFAULT_TOKEN_KEY = "dev-only-token-signing-key-change-me-0123456789abcdef"  # noqa: S105
DEV_ENVIRONMENTS = frozenset({"development", "test"})

T = TypeVar("T")


class InsecureConfiguration(RuntimeError):
    pass


def _env(name: str, default: str) -> str:
    return os.environ.get(f"SHOPKEEPER_{name}", default)


def _from_env(name: str, default: str, parse: Callable[[str], T]) -> T:
    """A setting read from ``SHOPKEEPER_<name>`` (else ``default``) and parsed, each time
    ``Settings()`` is built."""
    return field(default_factory=lambda: parse(_env(name, default)))


def _true(value: str) -> bool:
    return value.lower() == "true"


def _names(value: str) -> tuple[str, ...]:
    """A comma-separated list, blanks dropped."""
    return tuple(name.strip() for name in value.split(",") if name.strip())


@dataclass(frozen=True)
class Settings:
    environment: str = _from_env("ENV", "development", str)
    database_url: str = _from_env(
        "DATABASE_URL", "postgresql://shopkeeper_app@127.0.0.1:5432/shopkeeper", str
    )
    migration_database_url: str = _from_env(
        "MIGRATION_DATABASE_URL", "postgresql://shopkeeper_owner@127.0.0.1:5432/shopkeeper", str
    )
    platform_database_url: str = _from_env(
        "PLATFORM_DATABASE_URL", "postgresql://shopkeeper_platform@127.0.0.1:5432/shopkeeper", str
    )
    admin_database_url: str = _from_env(
        "ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres", str
    )
    redis_url: str = _from_env("REDIS_URL", "redis://127.0.0.1:6379/0", str)
    redis_prefix: str = _from_env("REDIS_PREFIX", "shopkeeper:", str)
    keystore: Path = _from_env("KEYSTORE", "var/keystore", Path)
    token_signing_key: str = _from_env("TOKEN_SIGNING_KEY", DEFAULT_TOKEN_KEY, str)
    access_token_minutes: int = _from_env("ACCESS_TOKEN_MINUTES", "15", int)
    refresh_token_days: int = _from_env("REFRESH_TOKEN_DAYS", "30", int)
    refresh_reuse_grace_seconds: int = _from_env("REFRESH_REUSE_GRACE_SECONDS", "5", int)
    login_max_failures_per_account: int = _from_env("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5", int)
    login_max_failures_per_address: int = _from_env("LOGIN_MAX_FAILURES_PER_ADDRESS", "20", int)
    login_failure_window_seconds: int = _from_env("LOGIN_FAILURE_WINDOW_SECONDS", "900", int)
    argon2_profile: str = _from_env("ARGON2_PROFILE", "default", str)
    smtp_host: str = _from_env("SMTP_HOST", "127.0.0.1", str)
    smtp_port: int = _from_env("SMTP_PORT", "1025", int)
    smtp_sender: str = _from_env("SMTP_SENDER", "Shopkeeper <no-reply@shopkeeper.test>", str)
    webhook_allow_loopback: bool = _from_env("WEBHOOK_ALLOW_LOOPBACK", "false", _true)
    webhook_max_attempts: int = _from_env("WEBHOOK_MAX_ATTEMPTS", "8", int)
    webhook_timeout_seconds: float = _from_env("WEBHOOK_TIMEOUT_SECONDS", "10", float)
    broker_heartbeat_ms: int = _from_env("BROKER_HEARTBEAT_MS", "60000", int)
    # Per million broker calls: how often one runs dramatiq's maintenance, which requeues a
    # dead worker's fetched messages (crash tests raise it so recovery is prompt).
    broker_maintenance_chance: int = _from_env("BROKER_MAINTENANCE_CHANCE", "1000", int)
    # How often each worker hands every queue's messages of dead workers back (and records
    # its own heartbeat): a killed worker's messages are back within heartbeat + this.
    broker_sweep_seconds: float = _from_env("BROKER_SWEEP_SECONDS", "5", float)
    outbox_poll_seconds: float = _from_env("OUTBOX_POLL_SECONDS", "1", float)
    # Extra modules the worker, scheduler and `jobs` import (development and test only):
    # test probes and fault points for subprocess workers.
    worker_modules: tuple[str, ...] = _from_env("WORKER_MODULES", "", _names)
    audit_anchor_dir: Path = _from_env("AUDIT_ANCHOR_DIR", "var/audit-anchors", Path)
    # Product media and brand logos (docs/catalog.md, "Media (CAT-3) and brand logos").
    file_store_dir: Path = _from_env("FILE_STORE_DIR", "var/files", Path)
    audit_seal_interval_seconds: int = _from_env("AUDIT_SEAL_INTERVAL_SECONDS", "5", int)
    host: str = _from_env("HOST", "127.0.0.1", str)
    port: int = _from_env("PORT", "8000", int)
    log_level: str = _from_env("LOG_LEVEL", "info", str)

    @property
    def is_development(self) -> bool:
        return self.environment in DEV_ENVIRONMENTS

    def check_secrets(self) -> None:
        """Refuse to run outside development with the well-known default secret."""
        if self.is_development:
            return
        if self.token_signing_key == DEFAULT_TOKEN_KEY or len(self.token_signing_key) < 32:
            raise InsecureConfiguration(
                "SHOPKEEPER_TOKEN_SIGNING_KEY must be set to a secret of at least 32 characters "
                f"when SHOPKEEPER_ENV={self.environment}"
            )
