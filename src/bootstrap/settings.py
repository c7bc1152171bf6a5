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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

# The development default of earlier releases, published in this repository's history:
# refused outside development like any short key (a deployment may have copied it).
PUBLISHED_TOKEN_KEY = "dev-only-token-signing-key-change-me-0123456789abcdef"  # noqa: S105
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
    token_signing_key: str = _from_env("TOKEN_SIGNING_KEY", "", str)
    # Where development keeps the random key it signs with when none is set (see above).
    dev_token_key_file: Path = _from_env("DEV_TOKEN_KEY_FILE", "var/token-signing-key", Path)
    access_token_minutes: int = _from_env("ACCESS_TOKEN_MINUTES", "15", int)
    refresh_token_days: int = _from_env("REFRESH_TOKEN_DAYS", "30", int)
    refresh_reuse_grace_seconds: int = _from_env("REFRESH_REUSE_GRACE_SECONDS", "5", int)
    login_max_failures_per_account: int = _from_env("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5", int)
    login_max_failures_per_address: int = _from_env("LOGIN_MAX_FAILURES_PER_ADDRESS", "20", int)
    login_failure_window_seconds: int = _from_env("LOGIN_FAILURE_WINDOW_SECONDS", "900", int)
    argon2_profile: str = _from_env("ARGON2_PROFILE", "default", str)
    # Processes hashing passwords, and how many more hashes may wait for one before a login
    # is answered 503 with Retry-After (adapters/crypto/passwords.py). A hash of the default
    # profile keeps four lanes busy, so one worker per four cores (at least one) leaves the
    # event loop its share (bench/README.md, "login_load.py").
    password_hash_workers: int = _from_env(
        "PASSWORD_HASH_WORKERS", str(max(1, (os.cpu_count() or 1) // 4)), int
    )
    password_hash_queue: int = _from_env("PASSWORD_HASH_QUEUE", "8", int)
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
    # The CJK font packing slips and labels embed (docs/fulfilment.md; scripts/fonts.sh).
    cjk_font: Path = _from_env("CJK_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", Path)
    # The simulated carrier the demo tenant's carrier books with (`make run` starts it on
    # this port: `shopkeeper carrier sim`; docs/fulfilment.md, "Demo data").
    demo_carrier_url: str = _from_env("DEMO_CARRIER_URL", "http://127.0.0.1:8766", str)
    audit_seal_interval_seconds: int = _from_env("AUDIT_SEAL_INTERVAL_SECONDS", "5", int)
    # The proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For is believed
    # for the client's address (login throttle, audit); none by default: the peer's.
    trusted_proxies: tuple[str, ...] = _from_env("TRUSTED_PROXIES", "", _names)
    # /metrics: served to loopback and these networks without a token; to anyone else only
    # with "Authorization: Bearer <SHOPKEEPER_METRICS_TOKEN>" (none set: not at all).
    metrics_networks: tuple[str, ...] = _from_env("METRICS_NETWORKS", "127.0.0.0/8,::1", _names)
    metrics_token: str = _from_env("METRICS_TOKEN", "", str)
    host: str = _from_env("HOST", "127.0.0.1", str)
    port: int = _from_env("PORT", "8000", int)
    log_level: str = _from_env("LOG_LEVEL", "info", str)
    # `shopkeeper serve`'s worker processes (deploy/PRODUCTION.md, "Scaling out": each has
    # its own pools, so the database's connections grow with them)
    workers: int = _from_env("WORKERS", "1", int)

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
        if self.metrics_token and len(self.metrics_token) < 32:
            raise InsecureConfiguration(
                "SHOPKEEPER_METRICS_TOKEN must be at least 32 characters (or unset: /metrics"
                f" for internal networks only) when SHOPKEEPER_ENV={self.environment}"
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
