"""The ``shopkeeper`` command line for operators and support staff.

Starting it costs only click: ``shopkeeper --help`` lists every command with its one-line
help read from the command's source (its docstring, or the ``short_help``/``help`` given
to its decorator) without importing it, and a command's module — with the application
and the adapters it needs — is imported only when that command runs or shows its own
help (#9, item 19; bench/README.md, "CLI start-up").
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
from functools import cache
from pathlib import Path

import click

from entrypoints.cli import commands

COMMANDS_DIR = Path(commands.__file__).parent


def make_default_short_help(text: str, limit: int, short: str | None = None) -> str:
    """click's own rule for the one-line help (its first sentence, at most ``limit``
    characters), applied by a command that is never run."""
    return click.Command("help", help=text, short_help=short).get_short_help_str(limit)


_MAKERS = ("command", "group")


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


@cache
def short_help_in_source(name: str) -> str:
    """The one-line help of the command ``name`` as its source declares it."""
    path = COMMANDS_DIR / f"{name}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            for decorator in node.decorator_list:
                if not isinstance(decorator, ast.Call) or _called(decorator) not in _MAKERS:
                    continue  # an option's help is not the command's
                given = {
                    k.arg: str(k.value.value)
                    for k in decorator.keywords
                    if k.arg in ("short_help", "help") and isinstance(k.value, ast.Constant)
                }
                if given:
                    text = given.get("help") or ast.get_docstring(node) or ""
                    return make_default_short_help(text, 45, given.get("short_help"))
            return make_default_short_help(ast.get_docstring(node) or "", 45)
        if isinstance(node, ast.ImportFrom) and any(a.name == name for a in node.names):
            # Re-exported from elsewhere (worker, scheduler): that module's docstring.
            module = importlib.util.find_spec(node.module or "")
            origin = Path(module.origin) if module and module.origin else None
            if origin is not None:
                source = ast.parse(origin.read_text(encoding="utf-8"))
                for inner in source.body:
                    if isinstance(inner, ast.FunctionDef) and inner.name == name:
                        return make_default_short_help(ast.get_docstring(inner) or "", 45)
    return ""


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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, from their sources (importing none of them)."""
        rows = [(name, short_help_in_source(name)) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=CommandsByModule)
@click.version_option(package_name="shopkeeper")
def cli() -> None:
    """Shopkeeper: operate the service and support its tenants."""
