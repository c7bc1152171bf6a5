"""``shopkeeper users reset-password|deactivate|reactivate|delete|unlock`` for support staff.

Each command names the operator (``SHOPKEEPER_OPERATOR`` or the login name) and a reason;
both go into the tenant's audit and the operator audit.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from application.identity.tenant_operations import TenantOperations
from entrypoints.cli.runtime import run_with, secret_option, system_context


@click.group()
def users() -> None:
    """Support actions on a tenant's users."""


@users.command("reset-password")
@click.option("--tenant", "slug", required=True)
@click.option("--email", required=True)
@secret_option("password", "SHOPKEEPER_NEW_PASSWORD", "new password")
@click.option("--reason", required=True)
def reset_password(slug: str, email: str, password: str, reason: str) -> None:
    """Set a new password and end the user's sessions."""

    run_with(
        TenantOperations,
        lambda ops: ops.reset_password(system_context(reason), slug, email, password),
    )
    click.echo("password reset; the user's sessions were ended")


def _user_options(command: Callable[..., None]) -> Callable[..., None]:
    for option in reversed(
        [
            click.option("--tenant", "slug", required=True),
            click.option("--email", required=True),
            click.option("--reason", required=True),
        ]
    ):
        command = option(command)
    return command


@users.command("deactivate")
@_user_options
def deactivate(slug: str, email: str, reason: str) -> None:
    """Stop the user logging in and end their sessions (the last owner stays)."""

    run_with(
        TenantOperations,
        lambda ops: ops.set_user_active(system_context(reason), slug, email, active=False),
    )
    click.echo("user deactivated; their sessions were ended")


@users.command("reactivate")
@_user_options
def reactivate(slug: str, email: str, reason: str) -> None:
    """Let a deactivated user log in again."""

    run_with(
        TenantOperations,
        lambda ops: ops.set_user_active(system_context(reason), slug, email, active=True),
    )
    click.echo("user reactivated")


@users.command("delete")
@_user_options
def delete(slug: str, email: str, reason: str) -> None:
    """Delete the user (the last owner stays); the audit keeps who they were."""

    run_with(TenantOperations, lambda ops: ops.delete_user(system_context(reason), slug, email))
    click.echo("user deleted")


@users.command("unlock")
@_user_options
def unlock(slug: str, email: str, reason: str) -> None:
    """Clear the user's failed-login lockout without changing the password."""

    run_with(TenantOperations, lambda ops: ops.unlock_user(system_context(reason), slug, email))
    click.echo("login lockout cleared")
