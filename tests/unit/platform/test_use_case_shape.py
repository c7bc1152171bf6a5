"""The one use-case shape, checked over the whole application layer (#8).

Every command and query declares its action, entity and a known permission; no handler
checks its own use case's permission (the runner does), and an extra, field-level check
names another permission. A throwaway command and handler prove the checks would fail.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import textwrap
from dataclasses import dataclass, fields
from typing import Any, get_type_hints
from uuid import UUID, uuid4

import pytest

import application
from adapters.identity.access_policy import RoleBasedAccessPolicy
from application.catalog.media import MediaService
from application.customers import EraseCustomer, GetCustomer, RegisterCustomer, SearchCustomers
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.runner import CommandRunner
from application.shared.use_case import (
    SIGNED_IN,
    Command,
    Query,
    Reading,
    UseCase,
    Work,
    permission_of,
    runs,
    use_case_of,
)
from bootstrap import build_container
from bootstrap.settings import Settings
from domain.catalog.permissions import CATALOG_READ_COST, CATALOG_WRITE
from domain.customers.permissions import CUSTOMERS_ERASE, CUSTOMERS_READ, CUSTOMERS_WRITE
from domain.identity.permissions import ALL_PERMISSIONS
from domain.shared.errors import PermissionDenied
from domain.shared.events import DomainEvent, RecordsEvents
from tests.fakes.clock import FakeClock
from tests.fakes.unit_of_work import FakeDatabase, FakeIds


def _application_modules() -> list[Any]:
    names = [
        info.name
        for info in pkgutil.walk_packages(application.__path__, prefix="application.")
        if not info.ispkg
    ]
    return [importlib.import_module(name) for name in sorted(names)]


MODULES = _application_modules()


def _subclasses(base: type[UseCase]) -> list[type[UseCase]]:
    found: list[type[UseCase]] = []
    for sub in base.__subclasses__():
        found.extend([sub, *_subclasses(sub)])
    return found


def use_cases() -> list[type[UseCase]]:
    """In a stable order (test ids must match across xdist workers). A class still generic
    in its result (``ById[T]``, ``InIdOrder[T]``) is a shape that use cases declare, not one."""
    found = {*_subclasses(Command), *_subclasses(Query)}
    return sorted(
        (
            cls
            for cls in found
            if cls.__module__.startswith("application.") and not cls.__parameters__
        ),
        key=lambda cls: (cls.__module__, cls.__qualname__),
    )


def handlers() -> list[tuple[type, type[UseCase]]]:
    """Every class of ``application`` with a ``handle(use_case, work)`` method."""
    found = []
    for module in MODULES:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not hasattr(cls, "handle"):
                continue
            handled = _handled(cls)
            if handled is not None:
                found.append((cls, handled))
    return found


def _handled(cls: type) -> type[UseCase] | None:
    hints = get_type_hints(cls.handle, vars(inspect.getmodule(cls)))
    params = [p for p in inspect.signature(cls.handle).parameters if p != "self"]
    first = hints.get(params[0]) if params else None
    return first if isinstance(first, type) and issubclass(first, UseCase) else None


def declaration_problems(cls: type[UseCase]) -> list[str]:
    problems = []
    permission = getattr(cls, "permission", None)
    if permission is None:
        problems.append(f"{cls.__qualname__} declares no permission")
    elif permission not in ALL_PERMISSIONS | {SIGNED_IN}:
        problems.append(f"{cls.__qualname__} declares an unknown permission {permission!r}")
    if not getattr(cls, "action", ""):
        problems.append(f"{cls.__qualname__} declares no action")
    if not getattr(cls, "entity", ""):
        problems.append(f"{cls.__qualname__} declares no entity")
    if cls.target is not None and cls.target not in {f.name for f in fields(cls)}:
        problems.append(f"{cls.__qualname__}.target names no field: {cls.target!r}")
    return problems


def handler_problems(handler: type, handled: type[UseCase]) -> list[str]:
    """A handler calling ``require(...)`` at all, or ``require_extra`` with its own use
    case's permission."""
    module_globals = vars(inspect.getmodule(handler))
    tree = ast.parse(textwrap.dedent(inspect.getsource(handler)))
    problems = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "require":
            problems.append(f"{handler.__qualname__} calls require(): the runner checks")
        if node.func.attr == "require_extra" and node.args:
            arg = node.args[0]
            value = module_globals.get(arg.id) if isinstance(arg, ast.Name) else None
            if isinstance(arg, ast.Constant):
                value = arg.value
            if value == handled.permission:
                problems.append(f"{handler.__qualname__} checks its own permission {value!r} again")
    return problems


# ---- the application as it is -------------------------------------------------------------


def test_the_application_has_use_cases_to_check() -> None:
    assert len(use_cases()) >= 6 and len(handlers()) >= 6


@pytest.mark.parametrize("cls", use_cases(), ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_use_case_declares_a_known_permission(cls: type[UseCase]) -> None:
    assert declaration_problems(cls) == []


@pytest.mark.parametrize(
    ("handler", "handled"), handlers(), ids=lambda h: getattr(h, "__qualname__", "")
)
def test_no_handler_checks_its_own_permission(handler: type, handled: type[UseCase]) -> None:
    assert handler_problems(handler, handled) == []


async def registered_use_cases() -> frozenset[type[UseCase]]:
    """What the composition root registers (every module's ``bootstrap/modules/<m>.py``)."""
    container = build_container(Settings())
    try:
        return container.use_cases.registered()
    finally:
        await container.aclose()


async def test_every_command_has_a_handler() -> None:
    """Registered with the dispatcher, or run with its handler by a service that holds
    more than the use case (file streaming, jobs)."""
    handled = {use_case for _, use_case in handlers()} | await registered_use_cases()
    assert [c.__qualname__ for c in use_cases() if c not in handled] == []


async def test_every_registered_handler_handles_a_declared_use_case() -> None:
    registered = await registered_use_cases()
    assert len(registered) >= 4
    assert [c.__qualname__ for c in registered if declaration_problems(c)] == []


# Facade methods that run no use case of a caller: worker jobs and the operator's entry.
NOT_USE_CASES = {
    "CatalogImports.run_check",
    "CatalogImports.run_commit",
    "CatalogExports.run",
    # the dispatcher itself: it runs whichever use case it is given
    "UseCases.run",
    "UseCases.query",
}


def facades() -> list[type]:
    """Every class of ``application`` that is built with the runner."""
    found = []
    for module in MODULES:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            annotations = getattr(cls.__init__, "__annotations__", {})
            if any(str(a) in ("CommandRunner", str(CommandRunner)) for a in annotations.values()):
                found.append(cls)
    return found


def unmarked_methods(facade: type) -> list[str]:
    return [
        f"{facade.__qualname__}.{name}"
        for name, member in vars(facade).items()
        if not name.startswith("_")
        and inspect.iscoroutinefunction(member)
        and use_case_of(member) is None
        and f"{facade.__qualname__}.{name}" not in NOT_USE_CASES
    ]


def test_every_facade_method_names_its_use_case() -> None:
    """So the HTTP layer can ask any operation's permission (``permission_of``)."""
    # Most use cases run through the dispatcher now (decisions 25); what is left are the
    # services that hold more than a use case (files, jobs), each method still marked.
    assert len(facades()) >= 4
    assert [m for f in facades() for m in unmarked_methods(f)] == []


# ---- the checks themselves fail on a bad use case ----------------------------------------


class _NoPermission(Command[None], action="thing.make", entity="thing"): ...


class _UnknownPermission(
    Command[None], action="thing.make", permission="things:make", target="thing"
): ...


class _MakeThing(Command[None], action="thing.make", permission=CATALOG_WRITE):
    thing_id: UUID  # the target: the field <entity>_id


class _ChecksItself:
    def __init__(self, access: RoleBasedAccessPolicy) -> None:
        self._access = access

    async def handle(self, command: _MakeThing, work: Work) -> None:
        self._access.require(work.ctx, CATALOG_WRITE)


class _ChecksItselfAgain:
    async def handle(self, command: _MakeThing, work: Work) -> None:
        work.require_extra(CATALOG_WRITE)


class _ChecksAFieldRule:
    async def handle(self, command: _MakeThing, work: Work) -> None:
        work.require_extra(CATALOG_READ_COST)


class _FacadeWithAnUnmarkedMethod:
    def __init__(self, runner: CommandRunner) -> None:
        self._runner = runner

    async def make(self, ctx: CallContext) -> None:
        await self._runner.run(ctx, _MakeThing(uuid4()), _ChecksAFieldRule())


def test_a_facade_method_without_its_use_case_is_caught() -> None:
    assert unmarked_methods(_FacadeWithAnUnmarkedMethod) == ["_FacadeWithAnUnmarkedMethod.make"]


def test_a_command_without_a_permission_is_caught() -> None:
    assert declaration_problems(_NoPermission) == ["_NoPermission declares no permission"]
    assert declaration_problems(_UnknownPermission) == [
        "_UnknownPermission declares an unknown permission 'things:make'",
        "_UnknownPermission.target names no field: 'thing'",
    ]
    assert declaration_problems(_MakeThing) == []


def test_a_handler_checking_its_own_permission_is_caught() -> None:
    assert _handled(_ChecksItself) is _MakeThing
    assert handler_problems(_ChecksItself, _MakeThing) == [
        "_ChecksItself calls require(): the runner checks"
    ]
    assert handler_problems(_ChecksItselfAgain, _MakeThing) == [
        "_ChecksItselfAgain checks its own permission 'catalog:write' again"
    ]
    assert handler_problems(_ChecksAFieldRule, _MakeThing) == []


# ---- the runner: permission, handler, audit, events, commit --------------------------------

TENANT = uuid4()


def _ctx(*permissions: str) -> CallContext:
    return CallContext(TENANT, Actor(ActorKind.USER, str(uuid4())), frozenset(permissions))


@dataclass
class _Thing(RecordsEvents):
    id: UUID
    name: str

    def rename(self, name: str) -> None:
        self.name = name
        self.record_event(DomainEvent("thing.renamed", "thing", self.id, ("name",)))


class _RenameThing:
    async def handle(self, command: _MakeThing, work: Work) -> str:
        thing = _Thing(command.thing_id, "old")
        before = {"name": thing.name}
        thing.rename("new")
        work.audit(thing.id, before, {"name": thing.name}, detail={"version": 2})
        work.publish(thing)
        return thing.name


async def test_the_runner_writes_the_noted_audit_and_the_published_events() -> None:
    db = FakeDatabase()
    runner = CommandRunner(db, RoleBasedAccessPolicy(), FakeClock(), FakeIds())
    thing_id = uuid4()
    assert await runner.run(_ctx(CATALOG_WRITE), _MakeThing(thing_id), _RenameThing()) == "new"
    tables = db.tenant(TENANT)
    [(_, entry)] = tables.audit
    assert (entry.action, entry.entity_type, entry.entity_id, entry.outcome) == (
        "thing.make",
        "thing",
        thing_id,
        "success",
    )
    assert [(c.field, c.before, c.after) for c in entry.changes] == [("name", "old", "new")]
    assert entry.detail == {"version": 2}
    assert tables.outbox == [DomainEvent("thing.renamed", "thing", thing_id, ("name",))]


async def test_the_runner_refuses_and_audits_a_caller_without_the_permission() -> None:
    db = FakeDatabase()
    runner = CommandRunner(db, RoleBasedAccessPolicy(), FakeClock(), FakeIds())
    thing_id = uuid4()
    with pytest.raises(PermissionDenied):
        await runner.run(_ctx(CATALOG_READ_COST), _MakeThing(thing_id), _RenameThing())
    [(_, entry)] = db.tenant(TENANT).audit
    assert (entry.action, entry.entity_id, entry.outcome) == ("thing.make", thing_id, "denied")
    assert entry.detail["error"] == "permission_denied"
    assert db.tenant(TENANT).outbox == []


async def test_an_extra_check_of_the_own_permission_is_refused() -> None:
    runner = CommandRunner(FakeDatabase(), RoleBasedAccessPolicy(), FakeClock(), FakeIds())
    with pytest.raises(ValueError, match="own permission"):
        await runner.run(_ctx(CATALOG_WRITE), _MakeThing(uuid4()), _ChecksItselfAgain())


async def test_a_field_rule_needs_its_extra_permission() -> None:
    runner = CommandRunner(FakeDatabase(), RoleBasedAccessPolicy(), FakeClock(), FakeIds())
    with pytest.raises(PermissionDenied):
        await runner.run(_ctx(CATALOG_WRITE), _MakeThing(uuid4()), _ChecksAFieldRule())
    await runner.run(
        _ctx(CATALOG_WRITE, CATALOG_READ_COST), _MakeThing(uuid4()), _ChecksAFieldRule()
    )


class _ReadOwnThing(Query[str], entity="thing", permission=SIGNED_IN): ...


class _ReadOwnThingHandler:
    async def handle(self, query: _ReadOwnThing, reading: Reading) -> str:
        return reading.ctx.actor.id


async def test_a_signed_in_use_case_checks_no_permission() -> None:
    runner = CommandRunner(FakeDatabase(), RoleBasedAccessPolicy(), FakeClock(), FakeIds())
    ctx = _ctx()
    assert await runner.query(ctx, _ReadOwnThing(), _ReadOwnThingHandler()) == ctx.actor.id
    assert declaration_problems(_ReadOwnThing) == []


# ---- what the HTTP layer asks: which permission an operation needs --------------------------


class _ServiceWithAMarkedMethod:
    def __init__(self, runner: CommandRunner) -> None:
        self._runner = runner

    @runs(_MakeThing)
    async def make(self, ctx: CallContext) -> None:
        await self._runner.run(ctx, _MakeThing(uuid4()), _ChecksAFieldRule())


def test_permission_of_a_use_case_and_a_service_method() -> None:
    assert permission_of(RegisterCustomer) == CUSTOMERS_WRITE
    assert permission_of(EraseCustomer) == CUSTOMERS_ERASE
    assert permission_of(SearchCustomers) == CUSTOMERS_READ
    assert use_case_of(GetCustomer) is not None
    assert permission_of(MediaService.upload) == CATALOG_WRITE  # a service method @runs
    assert permission_of(_MakeThing) == CATALOG_WRITE
    assert permission_of(_MakeThing(uuid4())) == CATALOG_WRITE
    assert permission_of(len) is None
    db = FakeDatabase()
    runner = CommandRunner(db, RoleBasedAccessPolicy(), FakeClock(), FakeIds())
    bound = _ServiceWithAMarkedMethod(runner)
    assert permission_of(bound.make) == CATALOG_WRITE  # a bound method answers too
