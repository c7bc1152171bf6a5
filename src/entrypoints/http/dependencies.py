"""What handlers receive by Litestar's dependency injection (docs/architecture.md, "HTTP"):
the call context, the services they use, the version If-Match names and the POST's
Idempotency-Key. Providers may read the application state; handlers never do (a test
checks it).

The application-wide ones (``ctx``, ``expected_version``, ``idempotency``, ``use_cases``:
the one dispatcher of commands and queries) are declared on
the app; each module's router declares its services with ``service(Cls)``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from application.shared.context import CallContext
from application.shared.use_cases import UseCases
from bootstrap import Container
from entrypoints.http.conventions import Idempotency, IdempotencyKey, IfMatch, version_in

T = TypeVar("T")


def container_of(state: State) -> Container:
    """The composition root the app's lifespan put in its state."""
    container: Container = state.container
    return container


def service(cls: type[T]) -> Provide:
    """A provider of the module service registered under ``cls`` (``container.get(cls)``)."""

    def provide(state: State) -> T:
        return container_of(state).get(cls)

    return Provide(provide, sync_to_thread=False)


def use_cases(state: State) -> UseCases:
    """The one dispatcher: ``await use_cases.run(ctx, CreateBrand(name))``."""
    return container_of(state).use_cases


def call_context(request: Request[CallContext, Any, State]) -> CallContext:
    """Who calls, for which tenant, in which language: what the credentials middleware made."""
    return request.user


def expected_version(if_match: IfMatch = None) -> int | None:
    """The version If-Match names: None when absent; a header naming no version never
    matches (412), so it is never mistaken for a missing one (428)."""
    return version_in(if_match)


def idempotency(
    request: Request[CallContext, Any, State], idempotency_key: IdempotencyKey = None
) -> Idempotency:
    return Idempotency(request, idempotency_key)


DEPENDENCIES = {
    "ctx": Provide(call_context, sync_to_thread=False),
    "expected_version": Provide(expected_version, sync_to_thread=False),
    "idempotency": Provide(idempotency, sync_to_thread=False),
    "use_cases": Provide(use_cases, sync_to_thread=False),
}

# How handlers name what they receive (Litestar injects by parameter name).
Context = NamedDependency[CallContext]
# What If-Match accepts: a version, None, or a ``VersionChoice`` (an ``int`` naming several
# or any). Declared ``Any`` because Litestar validates an injected value against its type
# with msgspec, which would turn a ``VersionChoice`` into a plain ``int``.
ExpectedVersion = NamedDependency[Any]
Idempotent = NamedDependency[Idempotency]
Dispatch = NamedDependency[UseCases]
