"""Delivering an alert (INV-3) once ``inventory.stock_alert`` is committed.

- To people: the company's users holding ``inventory:alerts`` (every role, built-in or
  custom, that grants it), through the notifier — inbox and email, each user once, in
  their language (template ``stock.low`` / ``stock.high`` / ``stock.expiring``). Run by
  the event subscriber ``inventory.stock_alert_notify`` in its own transaction, claimed
  once per event.
- To systems: webhook endpoints subscribed to ``inventory.stock_alert`` receive the event
  itself (the webhooks fan-out); a company's WeChat Work / DingTalk group robot receives
  a Markdown message in the company's language (task ``inventory.robot_alert``, after the
  subscriber commits).
"""

from __future__ import annotations

from uuid import UUID

from application.identity.ports import IDENTITY
from application.inventory.common import store_of
from application.inventory.ports import AlertRobotSender, RobotMessage
from application.notifications.ports import MessageTemplates, Notifier
from application.shared.context import CallContext
from application.shared.unit_of_work import UnitOfWork, UnitOfWorkFactory
from domain.inventory.alerts import AlertKind, StockAlert
from domain.inventory.permissions import INVENTORY_ALERTS
from domain.notifications.language import message_language
from domain.notifications.notification import Channel, Notification

ROBOT_TASK = "inventory.robot_alert"


def _params(alert: StockAlert) -> dict[str, str | int]:
    quantity = {
        AlertKind.LOW: "available",
        AlertKind.HIGH: "onHand",
        AlertKind.EXPIRING: "units",  # INV-8; its threshold is the window in days
    }[alert.kind]
    return {
        "sku": alert.sku_code or str(alert.sku_id),
        "warehouse": alert.warehouse_code or str(alert.warehouse_id),
        quantity: alert.quantity,
        "threshold": alert.threshold,
    }


def _template(alert: StockAlert) -> str:
    return f"stock.{alert.kind.value}"


def _link(alert: StockAlert) -> str:
    return f"/inventory/alerts/{alert.id}"


async def alert_roles(uow: UnitOfWork) -> tuple[str, ...]:
    """The keys of the company's roles that grant ``inventory:alerts``."""
    roles = await uow.of(IDENTITY).roles.list_all()
    return tuple(sorted(r.key for r in roles if INVENTORY_ALERTS in r.permissions))


class AlertDelivery:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        notifier: Notifier,
        templates: MessageTemplates,
        robots: AlertRobotSender,
    ) -> None:
        self._uow_factory = uow_factory
        self._notifier = notifier
        self._templates = templates
        self._robots = robots

    async def notify(self, uow: UnitOfWork, alert_id: UUID) -> bool:
        """Inbox and email to the alert's people, in ``uow`` (the subscriber's). Answers
        whether the company has a robot to send it to as well."""
        alert = await store_of(uow).alerts.get(alert_id)
        if alert is None:
            return False
        roles = await alert_roles(uow)
        if roles:
            await self._notifier.notify(
                uow,
                Notification(
                    topic=_template(alert),
                    template=_template(alert),
                    params=_params(alert),
                    roles=roles,
                    link=_link(alert),
                    channels=frozenset({Channel.INBOX, Channel.EMAIL}),
                ),
            )
        return await store_of(uow).alerts.robot() is not None

    async def send_to_robot(self, ctx: CallContext, alert_id: UUID) -> bool:
        """Post the alert to the company's robot, in the company's language; False when
        there is no robot (any more) or no such alert. ``RobotRefused`` propagates (the
        task is retried)."""
        async with self._uow_factory.for_tenant(ctx) as uow:
            store = store_of(uow).alerts
            alert, robot = await store.get(alert_id), await store.robot()
            tenant = await uow.of(IDENTITY).tenants.get(ctx.tenant_id)
        if alert is None or robot is None or robot.url is None:
            return False  # no robot (any more), or its URL no longer decrypts
        language = message_language(tenant.locale if tenant else None)
        rendered = self._templates.render(_template(alert), language, _params(alert), _link(alert))
        text = f"### {rendered.subject}\n\n{rendered.body}"
        await self._robots.send(robot.kind, robot.url, RobotMessage(rendered.subject, text))
        return True
