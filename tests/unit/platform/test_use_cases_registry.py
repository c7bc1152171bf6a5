"""The dispatcher (``application.shared.use_cases``): a handler is registered for the use
case its ``handle`` takes; twice is an error, an unregistered one a clear error, and a
dispatched command goes through the runner (permission, audit) like any other."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from adapters.identity.access_policy import RoleBasedAccessPolicy
from application.shared.context import Actor, ActorKind, CallContext
from application.shared.reads import ById, GetOne, InIdOrder
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Command, Work
from application.shared.use_cases import UseCaseNotRegistered, UseCases, handled_by
from domain.catalog.permissions import CATALOG_READ, CATALOG_WRITE
from domain.shared.errors import PermissionDenied, ValidationFailed
from tests.fakes.clock import FakeClock
from tests.fakes.unit_of_work import FakeDatabase, FakeIds

TENANT = uuid4()


def _ctx(*permissions: str) -> CallContext:
    return CallContext(TENANT, Actor(ActorKind.USER, str(uuid4())), frozenset(permissions))


class _Make(Command[str], action="thing.make", entity="thing", permission=CATALOG_WRITE):
    name: str


class _Other(Command[str], action="thing.other", permission=CATALOG_WRITE):
    pass


class _MakeHandler:
    async def handle(self, command: _Make, work: Work) -> str:
        work.audit(None, {}, {"name": command.name})
        return command.name.upper()


class _GetThing(ById[str], entity="thing", permission=CATALOG_READ):
    pass


class _ListThings(InIdOrder[str], entity="thing", permission=CATALOG_READ):
    pass


async def _load(uow: UnitOfWork, thing_id: UUID) -> str:
    return f"thing {thing_id}"


def _use_cases(db: FakeDatabase) -> UseCases:
    use_cases = UseCases(CommandRunner(db, RoleBasedAccessPolicy(), FakeClock(), FakeIds()))
    use_cases.register(_MakeHandler())
    use_cases.add(_GetThing, GetOne(_load))
    return use_cases


def test_class_keywords_declare_the_use_case() -> None:
    assert (_Make.action, _Make.entity, _Make.permission, _Make.target) == (
        "thing.make",
        "thing",
        CATALOG_WRITE,
        None,
    )
    assert (_GetThing.action, _GetThing.permission) == ("read", CATALOG_READ)
    assert _Other.entity == "thing"  # undeclared: the action's part before the dot


def test_a_handler_is_registered_for_what_its_handle_takes() -> None:
    assert handled_by(_MakeHandler()) is _Make
    with pytest.raises(TypeError, match="no command or query"):
        handled_by(GetOne(_load))  # a generic handler is added with its query: add()


async def test_a_dispatched_command_runs_through_the_runner() -> None:
    db = FakeDatabase()
    use_cases = _use_cases(db)
    assert await use_cases.run(_ctx(CATALOG_WRITE), _Make("tea")) == "TEA"
    thing_id = uuid4()
    assert await use_cases.query(_ctx(CATALOG_READ), _GetThing(thing_id)) == f"thing {thing_id}"
    with pytest.raises(PermissionDenied):
        await use_cases.run(_ctx(CATALOG_READ), _Make("tea"))
    assert [(e.action, e.outcome) for _, e in db.tenant(TENANT).audit] == [
        ("thing.make", "success"),
        ("thing.make", "denied"),
    ]


def test_registering_a_use_case_twice_is_an_error() -> None:
    use_cases = _use_cases(FakeDatabase())
    with pytest.raises(RuntimeError, match="_Make is registered twice"):
        use_cases.register(_MakeHandler())
    with pytest.raises(RuntimeError, match="_GetThing is registered twice"):
        use_cases.add(_GetThing, GetOne(_load))


async def test_running_an_unregistered_use_case_is_a_clear_error() -> None:
    use_cases = _use_cases(FakeDatabase())
    with pytest.raises(UseCaseNotRegistered, match=r"no handler is registered for .*_Other"):
        await use_cases.run(_ctx(CATALOG_WRITE), _Other())


def test_a_page_query_checks_its_cursor_before_it_runs() -> None:
    assert _ListThings.window(None, None) == _ListThings(None, 50)
    with pytest.raises(ValidationFailed):
        _ListThings.window("not a cursor", None)
