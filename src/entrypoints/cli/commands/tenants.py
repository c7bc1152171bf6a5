"""``shopkeeper tenants ...`` for support staff.

Each command names the operator (``SHOPKEEPER_OPERATOR`` or the login name) and a reason;
both go into the tenant's audit and the operator audit.
"""

from __future__ import annotations

import click

from application.identity.tenant_operations import NewTenant, TenantOperations
from domain.identity.tenant import Tenant
from entrypoints.cli.runtime import (
    json_option,
    print_json,
    run_with,
    secret_option,
    system_context,
)


def _show(tenant: Tenant) -> None:
    click.echo(f"{tenant.slug}\t{tenant.id}\t{tenant.status.value}\t{tenant.name}")


@click.group()
def tenants() -> None:
    """Create, inspect, suspend, resume and delete tenants."""


@tenants.command("create")
@click.argument("slug")
@click.option("--name", required=True, help="The company's display name.")
@click.option("--owner-email", required=True)
@secret_option("owner-password", "SHOPKEEPER_OWNER_PASSWORD", "owner's password")
@click.option("--currency", default="CNY", show_default=True)
@click.option("--time-zone", default="Asia/Shanghai", show_default=True)
@click.option("--locale", default="zh-CN", show_default=True)
@click.option("--reason", default="tenant onboarding", show_default=True)
def create(
    slug: str,
    name: str,
    owner_email: str,
    owner_password: str,
    currency: str,
    time_zone: str,
    locale: str,
    reason: str,
) -> None:
    """Create a tenant with its built-in roles and an owner user."""
    new = NewTenant(
        slug,
        name,
        owner_email,
        owner_password,
        currency=currency,
        time_zone=time_zone,
        locale=locale,
    )

    _show(run_with(TenantOperations, lambda ops: ops.create(system_context(reason), new)))


@tenants.command("list")
@json_option
def list_tenants(as_json: bool) -> None:
    """List every tenant: slug, id, status, name."""
    found = run_with(TenantOperations, lambda ops: ops.list_all(system_context("list tenants")))
    if as_json:
        print_json(found)
        return
    for tenant in found:
        _show(tenant)


@tenants.command("show")
@click.argument("slug")
@json_option
def show(slug: str, as_json: bool) -> None:
    """One tenant: slug, id, name, status, currency, time zone, language."""
    t = run_with(TenantOperations, lambda ops: ops.show(system_context("show tenant"), slug))
    if as_json:
        print_json(t)
        return
    for label, value in (
        ("slug", t.slug),
        ("id", t.id),
        ("name", t.name),
        ("status", t.status.value),
        ("currency", t.currency),
        ("time zone", t.time_zone),
        ("locale", t.locale),
    ):
        click.echo(f"{label:>10}: {value}")


@tenants.command("suspend")
@click.argument("slug")
@click.option("--reason", required=True, help="Why (kept in the audit).")
def suspend(slug: str, reason: str) -> None:
    """Suspend a tenant: its users and API keys get 403 until it is resumed."""

    _show(run_with(TenantOperations, lambda ops: ops.suspend(system_context(reason), slug)))


@tenants.command("resume")
@click.argument("slug")
@click.option("--reason", required=True)
def resume(slug: str, reason: str) -> None:
    """Resume a suspended tenant: its users and API keys work again."""
    _show(run_with(TenantOperations, lambda ops: ops.resume(system_context(reason), slug)))


@tenants.command("delete")
@click.argument("slug")
@click.option("--reason", required=True)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete(slug: str, reason: str, yes: bool) -> None:
    """Destroy the tenant's key (crypto-shredding), then delete all its rows. Irreversible."""
    if not yes:
        click.confirm(f"Delete tenant {slug} and all its data for good?", abort=True)

    deleted = run_with(TenantOperations, lambda ops: ops.delete(system_context(reason), slug))
    click.echo(f"deleted {slug} ({deleted})")
