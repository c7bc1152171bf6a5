"""Shared plumbing for CLI commands: a container per command, the operator's identity,
and domain errors printed in the operator's language."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import getpass
import json
import os
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

import click

from application.identity.tenant_operations import TenantOperations
from application.shared.context import Actor, ActorKind, CallContext, SystemContext
from application.shared.support_access import support_access
from domain.shared.errors import DomainError, ValidationFailed
from entrypoints.messages import message, negotiate

if TYPE_CHECKING:
    # The composition root imports every adapter (SQLAlchemy, Redis, cryptography...):
    # imported when a command runs, not when ``--help`` is asked (#9, item 19).
    from bootstrap import Container

T = TypeVar("T")
S = TypeVar("S")
F = TypeVar("F", bound=Callable[..., Any])


def operator_name() -> str:
    return os.environ.get("SHOPKEEPER_OPERATOR") or getpass.getuser()


def language() -> str:
    """The operator's language: ``SHOPKEEPER_LANG`` (zh-CN, zh-TW or en), else the locale
    as POSIX orders it — ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (``zh_TW.UTF-8`` is zh-TW);
    the plain ``C``/``POSIX`` locale is English. Anything else: the default (zh-CN)."""
    chosen = os.environ.get("SHOPKEEPER_LANG", "").strip()
    if chosen:
        return negotiate(chosen)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip()
        if value:
            tag = value.split(".")[0].split("@")[0]
            return "en" if tag in ("C", "POSIX") else negotiate(tag.replace("_", "-"))
    return negotiate(None)


def system_context(reason: str) -> SystemContext:
    return SystemContext(Actor(ActorKind.SUPPORT, operator_name()), reason, uuid.uuid4().hex)


async def support_call(
    container: Container, reason: str, slug: str, action: str, detail: dict[str, Any]
) -> CallContext:
    """The operator acting in the tenant ``slug`` for ``reason``: the access recorded in
    the operator audit as ``action`` (``support_access``); the context to call its use
    cases with."""
    ctx = system_context(reason)
    tenant = await container.get(TenantOperations).show(ctx, slug)
    return await support_access(container.uow_factory, ctx, tenant.id, action, detail)


def run_with(service: type[S], work: Callable[[S], Awaitable[T]]) -> T:
    """``run`` for a command that calls one service: ``work`` gets it from the container."""

    async def use(container: Container) -> T:
        return await work(container.get(service))

    return run(use)


def run(work: Callable[[Container], Awaitable[T]]) -> T:
    async def main() -> T:
        from bootstrap import build_container

        container = build_container()
        try:
            return await work(container)
        finally:
            await container.aclose()

    try:
        return asyncio.run(main())
    except ValidationFailed as error:
        for field_error in error.errors:
            text = message(field_error.code, language(), **field_error.params)
            click.echo(f"error: {field_error.field}: {text} [{field_error.code}]", err=True)
        sys.exit(2)
    except DomainError as error:
        text = message(error.code, language(), **error.params)
        click.echo(f"error: {text} [{error.code}]", err=True)
        sys.exit(2)


# ---- options every command shares (#9, item 19) -----------------------------------------


def json_option(command: F) -> F:
    """``--json``: the listing as one JSON document instead of text, for scripts."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON document instead of text."
    )(command)


def plain(value: object) -> object:
    """``value`` as JSON can hold it: records as objects (their fields by name), enums by
    value, times in ISO 8601, ids as text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def print_json(value: object) -> None:
    click.echo(json.dumps(plain(value), ensure_ascii=False, indent=2))


def secret_option(name: str, envvar: str, what: str) -> Callable[[F], F]:
    """A secret (a password) given without ever being on the command line, where every
    user of the machine sees it in the process list: ``--<name>-stdin`` reads the first
    line of standard input, ``$<envvar>`` is read when set; with neither, it is asked for
    (hidden, twice). ``--<name> VALUE`` still works, for a throw-away value only."""

    parameter = name.replace("-", "_")

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def with_secret(*args: Any, **kwargs: Any) -> Any:
            if kwargs.pop(f"{parameter}_stdin"):
                if kwargs[parameter] is not None:
                    raise click.UsageError(f"--{name} and --{name}-stdin: give one")
                kwargs[parameter] = sys.stdin.readline().rstrip("\r\n")
                if not kwargs[parameter]:
                    raise click.UsageError(f"--{name}-stdin: standard input had no {what}")
            elif kwargs[parameter] is None:
                label = what[0].upper() + what[1:]
                kwargs[parameter] = click.prompt(label, hide_input=True, confirmation_prompt=True)
            return command(*args, **kwargs)

        option = click.option(
            f"--{name}",
            parameter,
            default=None,
            envvar=envvar,
            show_envvar=True,
            help=f"The {what}. Prefer --{name}-stdin or ${envvar}: a command line is visible"
            " to every user of the machine.",
        )
        stdin = click.option(
            f"--{name}-stdin",
            f"{parameter}_stdin",
            is_flag=True,
            help=f"Read the {what} from the first line of standard input.",
        )
        return stdin(option(with_secret))  # type: ignore[return-value]

    return decorate
