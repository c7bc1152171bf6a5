"""The one way in: ``UseCases`` runs a command or a query by its type.

Each module registers its handlers once (``bootstrap/modules/<module>.py``); the HTTP
handlers, the CLI and the worker then call the same object::

    brand = await use_cases.run(ctx, RenameBrand(brand_id, name, expected_version))
    page = await use_cases.query(ctx, ListBrands.window(cursor, limit))

A handler is registered for the use case its ``handle`` takes (the type of its first
parameter), so the pair is written once, in the handler's own signature. Registering a
use case twice, or running one nobody registered, is a programming error, raised at once.
The runner (``application.shared.runner``) does the rest: permission, handler, audit,
outbox, commit (docs/decisions.md, 25).
"""

from __future__ import annotations

import inspect
from typing import Any, TypeVar, get_type_hints

from application.shared.context import CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import Command, CommandHandler, Query, QueryHandler, UseCase

R = TypeVar("R")


class UseCaseNotRegistered(LookupError):
    """A command or query no module registered a handler for."""


def handled_by(handler: object) -> type[UseCase[Any]]:
    """The command or query ``handler.handle`` takes (its first parameter's type)."""
    handle = getattr(handler, "handle", None)
    if handle is None:
        # guard: a wiring mistake at start-up, never a caller's
        raise TypeError(f"{type(handler).__qualname__} has no handle(use_case, work) method")
    hints = get_type_hints(handle, vars(inspect.getmodule(type(handler))))
    params = [name for name in inspect.signature(handle).parameters if name != "self"]
    handled = hints.get(params[0]) if params else None
    if not (isinstance(handled, type) and issubclass(handled, UseCase)):
        # guard: a wiring mistake at start-up (a generic handler is added with add())
        raise TypeError(f"{type(handler).__qualname__}.handle takes no command or query")
    return handled


class UseCases:
    """The registry ``{command or query type: handler}`` and the dispatch through the
    runner."""

    def __init__(self, runner: CommandRunner) -> None:
        self._runner = runner
        self._handlers: dict[type[UseCase[Any]], object] = {}

    def register(self, *handlers: object) -> None:
        """Register each handler for the use case its ``handle`` takes."""
        for handler in handlers:
            self.add(handled_by(handler), handler)

    def add(self, use_case: type[UseCase[Any]], handler: object) -> None:
        """Register ``handler`` for ``use_case`` (a generic handler serving several)."""
        if use_case in self._handlers:
            # guard: a wiring mistake at start-up, never a caller's
            raise RuntimeError(f"{use_case.__qualname__} is registered twice")
        self._handlers[use_case] = handler

    def registered(self) -> frozenset[type[UseCase[Any]]]:
        return frozenset(self._handlers)

    def _handler(self, use_case: type[UseCase[Any]]) -> Any:
        try:
            return self._handlers[use_case]
        except KeyError:
            raise UseCaseNotRegistered(
                f"no handler is registered for {use_case.__module__}.{use_case.__qualname__}"
                " (register it in its module's bootstrap/modules/<module>.py)"
            ) from None

    async def run(self, ctx: CallContext, command: Command[R]) -> R:
        """Run a command: one transaction with its audit records and events."""
        handler: CommandHandler[Command[R], R] = self._handler(type(command))
        return await self._runner.run(ctx, command, handler)

    async def query(self, ctx: CallContext, query: Query[R]) -> R:
        """Run a query: a transaction of its own; only a denial is audited."""
        handler: QueryHandler[Query[R], R] = self._handler(type(query))
        return await self._runner.query(ctx, query, handler)
