"""What every after-sales use case shares: loading a case, saving one at the version it
was read, its audit record and events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from application.aftersales.ports import AFTERSALES, AftersalesStore
from application.shared.unit_of_work import UnitOfWork
from application.shared.use_case import Work
from application.shared.versions import check_version
from domain.aftersales.case import ENTITY, AftersalesCase
from domain.shared.errors import NotFound


def store_of(uow: UnitOfWork) -> AftersalesStore:
    return uow.of(AFTERSALES)


async def load_case(uow: UnitOfWork, case_id: UUID, *, for_update: bool = False) -> AftersalesCase:
    case = await store_of(uow).cases.get(case_id, for_update=for_update)
    if case is None:
        raise NotFound(entity=ENTITY)
    return case


async def changed(
    work: Work,
    case_id: UUID,
    expected_version: int | None,
    change: Callable[[AftersalesCase], Awaitable[None]],
    *,
    versioned: bool = True,
) -> AftersalesCase:
    """Load (locked) → check If-Match → change → save at the version read → audit →
    publish: the one shape of every step of a case. A change that changes nothing
    writes nothing."""
    case = await load_case(work.uow, case_id, for_update=True)
    if versioned:
        check_version(expected_version, case.version)
    before, read_version = case.snapshot(), case.version
    await change(case)
    if case.version == read_version:
        return case
    await store_of(work.uow).cases.save(case, read_version)
    work.audit(case.id, before, case.snapshot(), detail={"version": case.version})
    work.publish(case)
    return case
