"""The shape of the ``shopkeeper`` command line (#9, item 19): ``--help`` imports no
command (its one-line helps are read from the sources), every command says what it does,
every listing has ``--json``, and secrets never need the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from entrypoints.cli.main import cli, short_help_in_source
from entrypoints.cli.runtime import plain, secret_option

# Commands that list or show records: each prints JSON with --json.
LISTINGS = {
    "tenants list",
    "tenants show",
    "jobs backlog",
    "jobs dead-letters",
    "keys status",
    "webhooks deliveries",
    "webhooks show",
}


def _walk(
    command: click.Command, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    yield " ".join(path), command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            found = command.get_command(ctx, name)
            assert found is not None
            yield from _walk(found, (*path, name))


COMMANDS = dict(_walk(cli))


def test_top_level_help_imports_no_command_and_no_adapter() -> None:
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from entrypoints.cli.main import cli\n"
        "result = CliRunner().invoke(cli, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(("
        "'entrypoints.cli.commands.', 'bootstrap', 'sqlalchemy', 'adapters', 'litestar')))\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]", out.stdout


# What a command's own --help must not load: the composition root and what it pulls in.
HEAVY = (
    "bootstrap.container",
    "bootstrap.modules",
    "adapters",
    "sqlalchemy",
    "alembic",
    "asyncpg",
    "redis",
    "dramatiq",
    "litestar",
    "uvicorn",
    "entrypoints.worker",
)


TOP_LEVEL = sorted(path for path in COMMANDS if path and " " not in path)


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_a_commands_own_help_loads_no_composition_root(name: str) -> None:
    """``bootstrap.settings`` is light (the ``bootstrap`` package imports its container
    lazily) and every command imports its machinery when it runs (#9 item 19: ``--help``
    of any command, not only the operational ones, starts in well under a second)."""
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from entrypoints.cli.main import cli\n"
        f"result = CliRunner().invoke(cli, [{name!r}, '--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]", out.stdout


def test_the_bootstrap_package_still_names_its_container() -> None:
    import bootstrap
    from bootstrap.container import Container, build_container

    assert (bootstrap.Container, bootstrap.build_container) == (Container, build_container)
    with pytest.raises(AttributeError):
        _ = bootstrap.nothing_of_the_kind


def test_the_help_read_from_the_sources_is_clicks_own() -> None:
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None
        assert short_help_in_source(name) == command.get_short_help_str(45), name
    listed = CliRunner().invoke(cli, ["--help"]).output
    assert "Serve the HTTP API" in listed


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_says_what_it_does(path: str) -> None:
    assert (COMMANDS[path].help or "").strip(), f"shopkeeper {path} has no help text"


@pytest.mark.parametrize("path", sorted(LISTINGS))
def test_every_listing_prints_json_on_request(path: str) -> None:
    assert "as_json" in {p.name for p in COMMANDS[path].params}, path


def test_records_become_plain_json() -> None:
    import dataclasses
    import uuid
    from datetime import UTC, datetime
    from enum import Enum

    class Colour(Enum):
        RED = "red"

    @dataclasses.dataclass
    class Row:
        id: uuid.UUID
        at: datetime
        colour: Colour
        tags: tuple[str, ...]

    row = Row(uuid.UUID(int=1), datetime(2026, 1, 2, tzinfo=UTC), Colour.RED, ("a",))
    assert json.loads(json.dumps(plain([row]))) == [
        {
            "id": "00000000-0000-0000-0000-000000000001",
            "at": "2026-01-02T00:00:00+00:00",
            "colour": "red",
            "tags": ["a"],
        }
    ]


@click.command()
@secret_option("password", "TEST_SECRET_PASSWORD", "password")
def _echo_secret(password: str) -> None:
    """Print the secret it was given."""
    click.echo(f"got {password}")


def test_a_secret_comes_from_stdin_the_environment_or_a_hidden_prompt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TEST_SECRET_PASSWORD", raising=False)
    runner = CliRunner()
    piped = runner.invoke(_echo_secret, ["--password-stdin"], input="from-stdin\nignored\n")
    assert piped.exit_code == 0 and piped.output == "got from-stdin\n"
    from_env = runner.invoke(_echo_secret, [], env={"TEST_SECRET_PASSWORD": "from-env"})
    assert from_env.exit_code == 0 and from_env.output == "got from-env\n"
    prompted = runner.invoke(_echo_secret, [], input="typed\ntyped\n")
    assert prompted.exit_code == 0 and prompted.output.endswith("got typed\n")
    assert "typed" not in prompted.output.splitlines()[0]  # hidden
    empty = runner.invoke(_echo_secret, ["--password-stdin"], input="")
    assert empty.exit_code == 2
    both = runner.invoke(_echo_secret, ["--password-stdin", "--password", "x"], input="y\n")
    assert both.exit_code == 2
