"""``shopkeeper openapi``: the OpenAPI document, without starting a server."""

from __future__ import annotations

import json

import click


@click.command()
def openapi() -> None:
    """Print the OpenAPI document without starting a server."""
    from entrypoints.http.app import openapi_schema

    click.echo(json.dumps(openapi_schema(), ensure_ascii=False, indent=2))
