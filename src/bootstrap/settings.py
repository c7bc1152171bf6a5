"""Configuration from ``SHOPKEEPER_*`` environment variables, with local defaults.

Defaults are for development on one machine. Outside development (``SHOPKEEPER_ENV`` other
than ``development``/``test``) the service refuses to start without a secret of its own.
In development with no ``SHOPKEEPER_TOKEN_SIGNING_KEY``, tokens are signed with a random key
made on first start and kept in ``var/token-signing-key`` (git-ignored), never a constant
from the source.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

# The development default of earlier releases, published in this repository's history:
# refused outside development like any short key (a deployment may have copied it).
PUBLISHED_TOKEN_KEY = "dev-only-token-signing-key-change-me-0123456789abcdef"  # noqa: S105
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
    token_signing_key: str = field(default_factory=lambda: _env("TOKEN_SIGNING_KEY", ""))
    # Where development keeps the random key it signs with when none is set (see above).
    dev_token_key_file: Path = field(
        default_factory=lambda: Path(_env("DEV_TOKEN_KEY_FILE", "var/token-signing-key"))
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
    # Threads hashing passwords, and how many more hashes may wait for one before a login
    # is answered 503 with Retry-After (adapters/crypto/passwords.py). A hash of the default
    # profile keeps four lanes busy, so one thread per four cores (at least one) leaves the
    # event loop its share (bench/login_load.py: two on two cores missed the goal).
    password_hash_workers: int = field(
        default_factory=lambda: int(
            _env("PASSWORD_HASH_WORKERS", str(max(1, (os.cpu_count() or 1) // 4)))
        )
    )
    password_hash_queue: int = field(default_factory=lambda: int(_env("PASSWORD_HASH_QUEUE", "8")))
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
        if self.token_signing_key == PUBLISHED_TOKEN_KEY or len(self.token_signing_key) < 32:
            raise InsecureConfiguration(
                "SHOPKEEPER_TOKEN_SIGNING_KEY must be set to a secret of at least 32 characters "
                f"when SHOPKEEPER_ENV={self.environment}"
            )

    def signing_key(self) -> str:
        """The key access tokens are signed with: the configured one, or — in development
        only — the random key of this checkout, made on first start and reused after."""
        if self.token_signing_key:
            return self.token_signing_key
        self.check_secrets()  # outside development, no key is refused
        return development_key(self.dev_token_key_file)


def development_key(path: Path) -> str:
    """Read the key at ``path``, or make a random one there (mode 0600). Processes starting
    at once agree: the key is written to a temporary file and linked into place, and the
    loser of the race reads the winner's."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    draft.touch(mode=0o600)
    try:
        draft.write_text(secrets.token_hex(32) + "\n")
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.link(draft, path)
    finally:
        draft.unlink()
    return path.read_text().strip()
