"""What ``shopkeeper db`` does (its commands are declared in
``entrypoints/cli/commands/db.py``, which imports this module only when one runs, so that
``db --help`` does not load Alembic, SQLAlchemy and asyncpg): create the roles and the
database, apply or revert migrations.

``migrate`` is what ``make migrate`` and the compose file's one-shot ``migrate`` service run.
It connects with the admin (superuser) URL only to create what is missing — the three
``shopkeeper_*`` roles and the database, named by the configured URLs — and then runs Alembic
as the migration owner.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import asyncpg
import click
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from adapters.postgres.shared.provisioning import provision
from bootstrap.settings import Settings

ALEMBIC_INI = "alembic.ini"


def _find_alembic_ini() -> Path:
    """The repository's alembic.ini: from the current directory up, then from this package up.

    The container image keeps it in the working directory (/app); a checkout has it at the
    repository root, above ``src/``.
    """
    starts = [Path.cwd(), Path(__file__).resolve().parent]
    for start in starts:
        for folder in (start, *start.parents):
            candidate = folder / ALEMBIC_INI
            if candidate.is_file():
                return candidate
    raise click.ClickException(
        f"cannot find {ALEMBIC_INI}; run this from the Shopkeeper checkout (or /app in the image)"
    )


def _alembic_config(settings: Settings) -> Config:
    ini = _find_alembic_ini()
    config = Config(str(ini))
    config.attributes["database_url"] = settings.migration_database_url
    # Migrations import helpers from the ``migrations`` package next to alembic.ini.
    root = str(ini.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    return config


def _plain(url: str) -> str:
    """asyncpg takes ``postgresql://`` URLs; configuration may name a SQLAlchemy driver."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


async def _existing(settings: Settings) -> tuple[set[str], bool]:
    """Which of the configured roles, and whether the database, exist already."""
    roles = {
        make_url(url).username or ""
        for url in (
            settings.migration_database_url,
            settings.database_url,
            settings.platform_database_url,
        )
    }
    database = make_url(settings.migration_database_url).database
    conn = await asyncpg.connect(_plain(settings.admin_database_url))
    try:
        found = await conn.fetch(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])", list(roles)
        )
        has_db = bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database))
    finally:
        await conn.close()
    return {row["rolname"] for row in found}, has_db


async def _current_revision(url: str) -> str | None:
    conn = await asyncpg.connect(_plain(url))
    try:
        if not await conn.fetchval("SELECT to_regclass('public.alembic_version') IS NOT NULL"):
            return None
        revisions = [
            row["version_num"]
            for row in await conn.fetch("SELECT version_num FROM alembic_version")
        ]
    finally:
        await conn.close()
    return ", ".join(sorted(revisions)) or None


def _database_error(exc: BaseException, url: str) -> click.ClickException:
    return click.ClickException(
        f"PostgreSQL at {_shown(url)} failed: {exc.__class__.__name__}: {exc}. "
        "Is it running (`make services` starts a local one) and was `shopkeeper db migrate` run?"
    )


def _revision_now(settings: Settings) -> str | None:
    """The schema revision the database is at; a database out of reach is a ClickException."""
    try:
        return asyncio.run(_current_revision(settings.migration_database_url))
    except (OSError, asyncpg.PostgresError) as exc:
        raise _database_error(exc, settings.migration_database_url) from exc


def migrate() -> None:
    """Create the roles and database if missing, then upgrade the schema to the newest revision."""
    settings = Settings()
    config = _alembic_config(settings)
    head = ", ".join(ScriptDirectory.from_config(config).get_heads())
    try:
        roles_before, db_before = asyncio.run(_existing(settings))
        database = asyncio.run(
            provision(
                settings.admin_database_url,
                settings.migration_database_url,
                settings.database_url,
                settings.platform_database_url,
            )
        )
        owner = make_url(settings.migration_database_url).username
        for url in (
            settings.migration_database_url,
            settings.database_url,
            settings.platform_database_url,
        ):
            role = make_url(url).username
            state = "exists" if role in roles_before else "created"
            click.echo(f"role {role}: {state}")
        click.echo(f"database {database}: {'exists' if db_before else f'created (owner {owner})'}")
    except (OSError, asyncpg.PostgresError) as exc:
        raise _database_error(exc, settings.admin_database_url) from exc
    before = _revision_now(settings)

    # Alembic's env.py runs its own event loop, so this must not run inside one.
    command.upgrade(config, "head")
    after = asyncio.run(_current_revision(settings.migration_database_url))
    if before == after:
        click.echo(f"schema of {database}: already at {after or 'base'} (head {head})")
    else:
        click.echo(
            f"schema of {database}: upgraded from {before or 'base'} to {after} (head {head})"
        )


def downgrade(revision: str, yes: bool) -> None:
    """Revert the schema to REVISION (0001, -1 or base), dropping what later ones added."""
    settings = Settings()
    config = _alembic_config(settings)
    database = make_url(settings.migration_database_url).database
    before = _revision_now(settings)
    if not yes:
        click.confirm(
            f"Downgrade {database} from {before or 'base'} to {revision}? "
            "Tables and columns added since are dropped with their data",
            abort=True,
        )
    command.downgrade(config, revision)
    after = asyncio.run(_current_revision(settings.migration_database_url))
    click.echo(f"schema of {database}: downgraded from {before or 'base'} to {after or 'base'}")


def current() -> None:
    """Show the schema revision the database is at, and the newest one this code has."""
    settings = Settings()
    config = _alembic_config(settings)
    head = ", ".join(ScriptDirectory.from_config(config).get_heads())
    revision = _revision_now(settings)
    click.echo(f"database at {revision or 'base'}; head is {head}")
