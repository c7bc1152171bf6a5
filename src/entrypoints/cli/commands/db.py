"""``shopkeeper db``: create the roles and the database, apply or revert migrations.

``migrate`` is what ``make migrate`` and the compose file's one-shot ``migrate`` service run.
The work is in ``entrypoints/cli/schema.py``, imported when a command runs: ``db --help``
loads neither Alembic nor SQLAlchemy (#9, item 19).
"""

from __future__ import annotations

import click


@click.group()
def db() -> None:
    """Database roles, creation and schema migrations."""


@db.command()
def migrate() -> None:
    """Create the roles and database if missing, then upgrade the schema to the newest revision."""
    from entrypoints.cli import schema

    schema.migrate()


@db.command()
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def downgrade(revision: str, yes: bool) -> None:
    """Revert the schema to REVISION (0001, -1 or base), dropping what later ones added."""
    from entrypoints.cli import schema

    schema.downgrade(revision, yes)


@db.command()
def current() -> None:
    """Show the schema revision the database is at, and the newest one this code has."""
    from entrypoints.cli import schema

    schema.current()
