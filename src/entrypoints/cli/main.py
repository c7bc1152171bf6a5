"""The ``shopkeeper`` command line for operators and support staff."""

from __future__ import annotations

import importlib
import pkgutil

import click

from entrypoints.cli import commands


class CommandsByModule(click.Group):
    """Top-level commands are the modules of ``entrypoints.cli.commands``, loaded lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(info.name for info in pkgutil.iter_modules(commands.__path__))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.list_commands(ctx):
            return None
        module = importlib.import_module(f"{commands.__name__}.{cmd_name}")
        command = getattr(module, cmd_name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=CommandsByModule)
@click.version_option(package_name="shopkeeper")
def cli() -> None:
    """Shopkeeper: operate the service and support its tenants."""
