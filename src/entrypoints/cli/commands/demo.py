"""``shopkeeper demo load``: a demo tenant with one user per built-in role and each
module's demo data (``entrypoints/cli/demo/<module>.py``, found by discovery and loaded in
the order their ``AFTER`` asks: the catalog before its stock), for development."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from application.identity.access_admin import CreateUser, ListUsers, NewUser
from application.identity.tenant_operations import NewTenant, TenantOperations
from application.shared.context import CallContext
from domain.identity.permissions import ALL_PERMISSIONS, BUILTIN_ROLES
from entrypoints.cli.demo import loaders
from entrypoints.cli.runtime import run, system_context

if TYPE_CHECKING:
    from bootstrap import Container  # imported when a command runs (runtime.run)

DEMO_SLUG = "demo"
DEMO_PASSWORD = "try-the-demo-shop"  # noqa: S105 - development data, refused outside development


def demo_email(role: str) -> str:
    return f"{role.replace('_', '-')}@demo.shopkeeper.test"


@click.group()
def demo() -> None:
    """Demo data for trying Shopkeeper locally."""


@demo.command("load")
def load() -> None:
    """Create (or complete) the demo tenant and its catalog, and print its logins. Safe to
    run twice; existing demo users get the printed password again."""

    async def work(c: Container) -> None:
        if not c.settings.is_development:
            raise click.ClickException("demo data is only for development environments")
        ctx = system_context("load demo data")
        tenants = {t.slug: t for t in await c.get(TenantOperations).list_all(ctx)}
        tenant = tenants.get(DEMO_SLUG) or await c.get(TenantOperations).create(
            ctx,
            NewTenant(
                DEMO_SLUG,
                "演示商店 Demo Shop",
                demo_email("owner"),
                DEMO_PASSWORD,
                owner_name="Demo Owner",
            ),
        )
        loader = CallContext(tenant.id, ctx.actor, ALL_PERMISSIONS, ctx.request_id)
        existing = {u.email for u in await c.use_cases.query(loader, ListUsers())}
        for role in BUILTIN_ROLES:
            if demo_email(role) not in existing:
                await c.use_cases.run(
                    loader,
                    CreateUser(NewUser(demo_email(role), f"Demo {role}", DEMO_PASSWORD, [role])),
                )
            else:  # the password printed below always works, whatever an older load set
                await c.get(TenantOperations).reset_password(
                    ctx, DEMO_SLUG, demo_email(role), DEMO_PASSWORD
                )
        for module in loaders():
            await module.load(c, loader)

    run(work)
    click.echo(f"Demo tenant: {DEMO_SLUG}   password for every user: {DEMO_PASSWORD}")
    for module in loaders():
        click.echo(module.summary)
    for role in BUILTIN_ROLES:
        click.echo(f"  {role:<17} {demo_email(role)}")
