"""What fulfilment tells the roles concerned (LOG-1), through the notifications module's
``Notifier`` in the command's own transaction: a parcel whose weight is off (the warehouse,
in its inbox), a dispatched parcel the carrier was asked to stop (the warehouse and
customer service, inbox and email), and a shipment its channel could not be told of after
every attempt (the same, once)."""

from __future__ import annotations

from domain.fulfilment.shipment import Shipment
from domain.notifications.notification import Channel, Notification

CONCERNED_ROLES = ("warehouse", "customer_service")  # who ships and who answers the buyer
WEIGHT_FLAGGED = "shipment.weight_flagged"
INTERCEPTION_REQUESTED = "shipment.interception_requested"
REPORT_FAILED = "shipment.report_failed"
INBOX = frozenset({Channel.INBOX})
INBOX_AND_EMAIL = frozenset({Channel.INBOX, Channel.EMAIL})


def _about(
    shipment: Shipment,
    topic: str,
    roles: tuple[str, ...] = CONCERNED_ROLES,
    channels: frozenset[Channel] = INBOX_AND_EMAIL,
    **params: str | int,
) -> Notification:
    return Notification(
        topic=topic,
        template=topic,
        params={"orderNumber": shipment.order_number, **params},
        roles=roles,
        link=f"/fulfilment/shipments/{shipment.id}",
        channels=channels,
    )


def weight_flagged(shipment: Shipment) -> Notification:
    """Inbox only: a scale off by a few grams is the floor's, not an email's."""
    return _about(
        shipment,
        WEIGHT_FLAGGED,
        ("warehouse",),
        INBOX,
        grams=shipment.weight_grams or 0,
        expectedGrams=shipment.expected_grams or 0,
        deviationPercent=str(shipment.deviation() or ""),
    )


def interception_requested(shipment: Shipment, carrier_answer: str) -> Notification:
    return _about(
        shipment,
        INTERCEPTION_REQUESTED,
        trackingNo=shipment.tracking_no or "",
        carrierCode=shipment.carrier_code,
        answer=carrier_answer,
    )


def report_failed(shipment: Shipment) -> Notification:
    return _about(
        shipment,
        REPORT_FAILED,
        trackingNo=shipment.tracking_no or "",
        attempts=shipment.report_attempts,
    )
