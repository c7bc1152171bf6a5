"""The ``shopkeeper`` command line for operators and support staff."""

from __future__ import annotations

import json

import click

from entrypoints.cli.audit import audit
from entrypoints.cli.catalog import catalog
from entrypoints.cli.db import db
from entrypoints.cli.demo import demo
from entrypoints.cli.jobs import jobs
from entrypoints.cli.keys import keys
from entrypoints.cli.serve import serve
from entrypoints.cli.tenants import tenants, users
from entrypoints.cli.webhooks import webhooks
from entrypoints.worker.scheduler import scheduler
from entrypoints.worker.worker import worker


@click.group()
@click.version_option(package_name="shopkeeper")
def cli() -> None:
    """Shopkeeper: operate the service and support its tenants."""


@cli.command()
def openapi() -> None:
    """Print the OpenAPI document without starting a server."""
    from entrypoints.http.app import openapi_schema

    click.echo(json.dumps(openapi_schema(), ensure_ascii=False, indent=2))


cli.add_command(db)
cli.add_command(serve)
cli.add_command(tenants)
cli.add_command(users)
cli.add_command(demo)
cli.add_command(audit)
cli.add_command(keys)
cli.add_command(catalog)
cli.add_command(webhooks)
cli.add_command(jobs)
cli.add_command(worker)
cli.add_command(scheduler)
