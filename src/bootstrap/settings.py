"""Configuration from ``SHOPKEEPER_*`` environment variables, with local defaults.

Defaults are for development on one machine. Outside development (``SHOPKEEPER_ENV`` other
than ``development``/``test``) the service refuses to start with a default secret.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TOKEN_KEY = "dev-only-token-signing-key-change-me-0123456789abcdef"  # noqa: S105
DEV_ENVIRONMENTS = frozenset({"development", "test"})


class InsecureConfiguration(RuntimeError):
    pass


def _env(name: str, default: str) -> str:
    return os.environ.get(f"SHOPKEEPER_{name}", default)


@dataclass(frozen=True)
class Settings:
    environment: str = field(default_factory=lambda: _env("ENV", "development"))
    database_url: str = field(
        default_factory=lambda: _env(
            "DATABASE_URL", "postgresql://shopkeeper_app@127.0.0.1:5432/shopkeeper"
        )
    )
    migration_database_url: str = field(
        default_factory=lambda: _env(
            "MIGRATION_DATABASE_URL", "postgresql://shopkeeper_owner@127.0.0.1:5432/shopkeeper"
        )
    )
    platform_database_url: str = field(
        default_factory=lambda: _env(
            "PLATFORM_DATABASE_URL", "postgresql://shopkeeper_platform@127.0.0.1:5432/shopkeeper"
        )
    )
    admin_database_url: str = field(
        default_factory=lambda: _env(
            "ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        )
    )
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", "redis://127.0.0.1:6379/0"))
    redis_prefix: str = field(default_factory=lambda: _env("REDIS_PREFIX", "shopkeeper:"))
    keystore: Path = field(default_factory=lambda: Path(_env("KEYSTORE", "var/keystore")))
    token_signing_key: str = field(
        default_factory=lambda: _env("TOKEN_SIGNING_KEY", DEFAULT_TOKEN_KEY)
    )
    access_token_minutes: int = field(
        default_factory=lambda: int(_env("ACCESS_TOKEN_MINUTES", "15"))
    )
    refresh_token_days: int = field(default_factory=lambda: int(_env("REFRESH_TOKEN_DAYS", "30")))
    refresh_reuse_grace_seconds: int = field(
        default_factory=lambda: int(_env("REFRESH_REUSE_GRACE_SECONDS", "5"))
    )
    login_max_failures_per_account: int = field(
        default_factory=lambda: int(_env("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5"))
    )
    login_max_failures_per_address: int = field(
        default_factory=lambda: int(_env("LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
    )
    login_failure_window_seconds: int = field(
        default_factory=lambda: int(_env("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
    )
    argon2_profile: str = field(default_factory=lambda: _env("ARGON2_PROFILE", "default"))
    smtp_host: str = field(default_factory=lambda: _env("SMTP_HOST", "127.0.0.1"))
    smtp_port: int = field(default_factory=lambda: int(_env("SMTP_PORT", "1025")))
    smtp_sender: str = field(
        default_factory=lambda: _env("SMTP_SENDER", "Shopkeeper <no-reply@shopkeeper.test>")
    )
    webhook_allow_loopback: bool = field(
        default_factory=lambda: _env("WEBHOOK_ALLOW_LOOPBACK", "false").lower() == "true"
    )
    webhook_max_attempts: int = field(
        default_factory=lambda: int(_env("WEBHOOK_MAX_ATTEMPTS", "8"))
    )
    webhook_timeout_seconds: float = field(
        default_factory=lambda: float(_env("WEBHOOK_TIMEOUT_SECONDS", "10"))
    )
    broker_heartbeat_ms: int = field(
        default_factory=lambda: int(_env("BROKER_HEARTBEAT_MS", "60000"))
    )
    # Per million broker calls: how often one runs dramatiq's maintenance, which requeues a
    # dead worker's fetched messages (crash tests raise it so recovery is prompt).
    broker_maintenance_chance: int = field(
        default_factory=lambda: int(_env("BROKER_MAINTENANCE_CHANCE", "1000"))
    )
    # How often each worker hands every queue's messages of dead workers back (and records
    # its own heartbeat): a killed worker's messages are back within heartbeat + this.
    broker_sweep_seconds: float = field(
        default_factory=lambda: float(_env("BROKER_SWEEP_SECONDS", "5"))
    )
    outbox_poll_seconds: float = field(
        default_factory=lambda: float(_env("OUTBOX_POLL_SECONDS", "1"))
    )
    # Extra modules the worker, scheduler and `jobs` import (development and test only):
    # test probes and fault points for subprocess workers.
    worker_modules: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            name.strip() for name in _env("WORKER_MODULES", "").split(",") if name.strip()
        )
    )
    audit_anchor_dir: Path = field(
        default_factory=lambda: Path(_env("AUDIT_ANCHOR_DIR", "var/audit-anchors"))
    )
    # Product media and brand logos (docs/catalog.md, "Media (CAT-3) and brand logos").
    file_store_dir: Path = field(default_factory=lambda: Path(_env("FILE_STORE_DIR", "var/files")))
    audit_seal_interval_seconds: int = field(
        default_factory=lambda: int(_env("AUDIT_SEAL_INTERVAL_SECONDS", "5"))
    )
    host: str = field(default_factory=lambda: _env("HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(_env("PORT", "8000")))
    log_level: str = field(default_factory=lambda: _env("LOG_LEVEL", "info"))

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
