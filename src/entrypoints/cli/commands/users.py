"""``shopkeeper users reset-password`` for support staff.

Each command names the operator (``SHOPKEEPER_OPERATOR`` or the login name) and a reason;
both go into the tenant's audit and the operator audit.
"""

from __future__ import annotations

import click

from application.identity.tenant_operations import TenantOperations
from entrypoints.cli.runtime import run_with, system_context


@click.group()
def users() -> None:
    """Support actions on a tenant's users."""


@users.command("reset-password")
@click.option("--tenant", "slug", required=True)
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--reason", required=True)
def reset_password(slug: str, email: str, password: str, reason: str) -> None:
    """Set a new password and end the user's sessions."""

    run_with(
        TenantOperations,
        lambda ops: ops.reset_password(system_context(reason), slug, email, password),
    )
    click.echo("password reset; the user's sessions were ended")
