"""The shared kernel every module builds on: settings, engines, the unit of work, the
runner and access policy, messaging, files and the notifier."""

from __future__ import annotations

from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.crypto.field_cipher import EnvelopeFieldCipher
from adapters.identity.access_policy import RoleBasedAccessPolicy
from adapters.messaging.broker import SweepingRedisBroker
from adapters.messaging.outbox_relay import OutboxRelay
from adapters.messaging.queues import BrokerQueues
from adapters.notifications.templates import JinjaMessageTemplates
from adapters.postgres.shared.unit_of_work import PostgresUnitOfWorkFactory
from adapters.storage.local_files import LocalFileStore
from adapters.system import SystemClock, Uuid7Generator
from application.notifications.ports import Notifier
from application.shared.messaging import TaskQueue
from application.shared.runner import CommandRunner
from application.shared.use_cases import UseCases
from bootstrap.settings import Settings


@dataclass
class Kernel:
    settings: Settings
    clock: SystemClock
    ids: Uuid7Generator
    app_engine: AsyncEngine
    platform_engine: AsyncEngine
    redis: Redis
    cipher: EnvelopeFieldCipher
    uow_factory: PostgresUnitOfWorkFactory
    runner: CommandRunner
    use_cases: UseCases  # every module's handlers, registered by bootstrap/modules/<module>.py
    access: RoleBasedAccessPolicy
    # Events and jobs (docs/events-and-jobs.md)
    broker: SweepingRedisBroker
    task_queue: TaskQueue
    outbox_relay: OutboxRelay
    queues: BrokerQueues
    file_store: LocalFileStore  # product media, brand logos, catalog files (FileStore port)
    # Notifications (docs/notifications.md): any module notifies through this port
    templates: JinjaMessageTemplates
    notifier: Notifier
