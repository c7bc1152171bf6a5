"""Shared plumbing for CLI commands: a container per command, the operator's identity,
and domain errors printed in the operator's language."""

from __future__ import annotations

import asyncio
import getpass
import os
import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from application.shared.context import Actor, ActorKind, SystemContext
from bootstrap import Container, build_container
from domain.shared.errors import DomainError, ValidationFailed
from entrypoints.messages import message, negotiate

T = TypeVar("T")
S = TypeVar("S")


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


def run_with(service: type[S], work: Callable[[S], Awaitable[T]]) -> T:
    """``run`` for a command that calls one service: ``work`` gets it from the container."""

    async def use(container: Container) -> T:
        return await work(container.get(service))

    return run(use)


def run(work: Callable[[Container], Awaitable[T]]) -> T:
    async def main() -> T:
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
