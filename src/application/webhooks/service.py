"""The webhooks module's services that hold more than one use case: replays, support,
delivery and its recovery (the endpoint and log use cases run through ``UseCases``)."""

from __future__ import annotations

from datetime import timedelta

from application.shared.clock import Clock, IdGenerator
from application.shared.messaging import TaskQueue
from application.shared.runner import CommandRunner
from application.shared.unit_of_work import UnitOfWorkFactory
from application.webhooks.deliver import DeliverWebhook, lease_for
from application.webhooks.deliveries import DeliveryReplay, SupportDeliveries
from application.webhooks.endpoints.rotate_secret import SecretRotation
from application.webhooks.ports import RandomSource, StalledDeliveries, WebhookSender
from application.webhooks.record_deliveries import RecordDeliveries
from application.webhooks.requeue import RequeueStalledDeliveries
from domain.webhooks.retry import RetryPolicy


class WebhookService:
    """``replays`` and ``rotations`` (API; the other endpoint and log use cases run
    through ``UseCases``), ``support`` (CLI), and for the worker:
    ``record_deliveries_for_event``, ``deliver`` and ``requeue_stalled``."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        runner: CommandRunner,
        queue: TaskQueue,
        sender: WebhookSender,
        stalled: StalledDeliveries,
        clock: Clock,
        ids: IdGenerator,
        random: RandomSource,
        *,
        policy: RetryPolicy,
        timeout_seconds: float,
        lease: timedelta | None = None,
    ) -> None:
        self.replays = DeliveryReplay(runner, queue, ids)
        self.rotations = SecretRotation(runner, queue, ids, random)
        self.support = SupportDeliveries(uow_factory, queue, clock, ids)
        self.record_deliveries_for_event = RecordDeliveries(uow_factory, queue, clock, ids)
        self.deliver = DeliverWebhook(
            uow_factory,
            sender,
            queue,
            policy,
            clock,
            ids,
            random,
            lease=lease or lease_for(timeout_seconds),
        )
        self.requeue_stalled = RequeueStalledDeliveries(stalled, queue, clock, ids)
