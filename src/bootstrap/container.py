"""The one composition root: builds the shared kernel, then lets every module register its
services (``bootstrap/modules/<module>.py``, found by discovery: no central list)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar, cast

from redis.asyncio import Redis

from adapters.crypto.field_cipher import EnvelopeFieldCipher
from adapters.crypto.keystore import FileKeyStore
from adapters.identity.access_policy import RoleBasedAccessPolicy
from adapters.messaging.broker import build_broker
from adapters.messaging.outbox_relay import OutboxRelay
from adapters.messaging.queues import BrokerQueues
from adapters.messaging.task_queue import DramatiqTaskQueue
from adapters.notifications.templates import JinjaMessageTemplates
from adapters.postgres.shared.engine import check_tenant_propagation, create_engine
from adapters.postgres.shared.unit_of_work import PostgresUnitOfWorkFactory
from adapters.storage.local_files import LocalFileStore
from adapters.system import SystemClock, Uuid7Generator
from application.notifications.notifier import TransactionalNotifier
from application.shared.runner import CommandRunner
from application.shared.use_cases import UseCases
from bootstrap.kernel import Kernel
from bootstrap.settings import Settings

T = TypeVar("T")


@dataclass
class Container(Kernel):
    """The kernel, plus every module's services, reached by their class:
    ``container.get(MediaService)``; and the use cases every module registered:
    ``container.use_cases``."""

    services: dict[type, object] = field(default_factory=dict)
    closers: list[Callable[[], object]] = field(default_factory=list)

    def get(self, service: type[T]) -> T:
        found = self.services.get(service)
        if found is None:
            raise LookupError(f"no module registered a {service.__name__}")
        assert isinstance(found, service)
        return found

    def add(self, *services: object) -> None:
        for service in services:
            if type(service) in self.services:
                raise RuntimeError(f"{type(service).__name__} registered twice")
            self.services[type(service)] = service

    async def check_database(self) -> None:
        """Start-up checks against the database (a Citus cluster that would not carry the
        tenant setting to its workers is refused)."""
        await check_tenant_propagation(self.app_engine)

    def on_close(self, close: Callable[[], object]) -> None:
        """A module's resource to release when the container closes (a process pool)."""
        self.closers.append(close)

    async def aclose(self) -> None:
        for close in reversed(self.closers):
            close()
        await self.redis.aclose()
        self.broker.client.close()
        await self.app_engine.dispose()
        await self.platform_engine.dispose()


async def check_database(settings: Settings) -> None:
    """The start-up checks, on a short-lived engine of their own (for processes that build
    their container on another event loop, such as the worker)."""
    engine = create_engine(settings.database_url, pool_size=1, max_overflow=0)
    try:
        await check_tenant_propagation(engine)
    finally:
        await engine.dispose()


def build_container(settings: Settings | None = None) -> Container:
    settings = settings or Settings()
    clock = SystemClock()
    ids = Uuid7Generator()
    app_engine = create_engine(settings.database_url)
    platform_engine = create_engine(settings.platform_database_url, pool_size=4, max_overflow=4)
    redis = Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
    cipher = EnvelopeFieldCipher(FileKeyStore(settings.keystore), platform_engine)
    uow_factory = PostgresUnitOfWorkFactory(app_engine, platform_engine, clock, ids, cipher)
    broker = build_broker(
        settings.redis_url,
        settings.redis_prefix,
        heartbeat_timeout_ms=settings.broker_heartbeat_ms,
        maintenance_chance=settings.broker_maintenance_chance,
    )
    task_queue = DramatiqTaskQueue(broker)
    templates = JinjaMessageTemplates()
    access = RoleBasedAccessPolicy()
    runner = CommandRunner(uow_factory, access, clock, ids)
    container = Container(
        settings=settings,
        clock=clock,
        ids=ids,
        app_engine=app_engine,
        platform_engine=platform_engine,
        redis=redis,
        cipher=cipher,
        uow_factory=uow_factory,
        runner=runner,
        use_cases=UseCases(runner),
        access=access,
        broker=broker,
        task_queue=task_queue,
        outbox_relay=OutboxRelay(platform_engine, task_queue),
        queues=BrokerQueues(broker),
        file_store=LocalFileStore(settings.file_store_dir),
        templates=templates,
        notifier=TransactionalNotifier(templates, clock, ids),
    )
    for module in _modules():
        module.register(container)
    return container


class ModuleRegistration(Protocol):
    """What each ``bootstrap/modules/<module>.py`` provides."""

    def register(self, container: Container) -> None:
        """Build the module's adapters and services, ``container.add`` them, and register
        its use cases' handlers (``container.use_cases.register``)."""
        ...


def _modules() -> list[ModuleRegistration]:
    import bootstrap.modules as package

    return [
        cast(ModuleRegistration, importlib.import_module(f"{package.__name__}.{info.name}"))
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
    ]
