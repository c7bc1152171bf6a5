"""The delivery's life (CHN-3): claims are leases, a 2xx succeeds once, failures back off
until the budget is spent, 410 gives up and deactivates, replays start a new series; and
an endpoint's subscriptions and edits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.shared.errors import Conflict, ValidationFailed
from domain.webhooks.delivery import (
    ABANDONED,
    ENDPOINT_INACTIVE,
    GONE,
    UNEXPECTED_STATUS,
    AttemptResult,
    ClaimRefusal,
    DeliveryStatus,
    WebhookDelivery,
    webhook_payload,
)
from domain.webhooks.endpoint import WebhookEndpoint, validate_event_types
from domain.webhooks.retry import RetryPolicy

NOW = datetime(2025, 1, 1, 12, tzinfo=UTC)
LEASE = timedelta(seconds=40)
POLICY = RetryPolicy(max_attempts=3, base_seconds=5, cap_seconds=60)


def _delivery() -> WebhookDelivery:
    return WebhookDelivery.for_event(
        uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "customer.updated", {"type": "x"}, NOW
    )


def test_a_new_delivery_is_due_now() -> None:
    delivery = _delivery()
    assert delivery.status is DeliveryStatus.PENDING
    assert delivery.why_not_claimable(NOW) is None
    assert delivery.webhook_id == f"msg_{delivery.id}"


def test_a_claim_is_a_lease_that_keeps_other_attempts_out_until_it_runs_out() -> None:
    delivery = _delivery()
    assert delivery.claim(uuid.uuid4(), NOW, LEASE) == 1
    assert delivery.why_not_claimable(NOW + LEASE / 2) is ClaimRefusal.LEASED
    with pytest.raises(Conflict):
        delivery.claim(uuid.uuid4(), NOW + LEASE / 2, LEASE)
    # Its worker died: after the lease the next attempt may start.
    assert delivery.why_not_claimable(NOW + LEASE) is None
    assert delivery.claim(uuid.uuid4(), NOW + LEASE, LEASE) == 2


def test_success_settles_the_delivery_for_good() -> None:
    delivery = _delivery()
    delivery.claim(uuid.uuid4(), NOW, LEASE)
    assert delivery.settle(AttemptResult(204, None, 12), POLICY, NOW, 0.5) is False
    assert delivery.status is DeliveryStatus.SUCCEEDED
    assert delivery.succeeded_at == NOW and delivery.lease_token is None
    assert delivery.why_not_claimable(NOW + timedelta(days=1)) is ClaimRefusal.FINISHED


def test_failures_back_off_then_die_when_the_budget_is_spent() -> None:
    delivery = _delivery()
    now = NOW
    for attempt in (1, 2):
        assert delivery.claim(uuid.uuid4(), now, LEASE) == attempt
        delivery.settle(AttemptResult(500, None, 5), POLICY, now, 0.999)
        assert delivery.status is DeliveryStatus.PENDING
        assert delivery.last_error == UNEXPECTED_STATUS and delivery.last_status_code == 500
        assert delivery.next_attempt_at is not None
        wait = delivery.next_attempt_at - now
        assert timedelta(seconds=1) <= wait <= timedelta(seconds=POLICY.ceiling(attempt))
        assert delivery.why_not_claimable(now) is ClaimRefusal.NOT_DUE
        now = delivery.next_attempt_at
    delivery.claim(uuid.uuid4(), now, LEASE)
    delivery.settle(AttemptResult(None, "timeout", 10_000), POLICY, now, 0.1)
    assert delivery.status is DeliveryStatus.DEAD
    assert delivery.last_error == "timeout" and delivery.next_attempt_at is None


def test_410_gone_gives_up_at_once_and_asks_to_deactivate() -> None:
    delivery = _delivery()
    delivery.claim(uuid.uuid4(), NOW, LEASE)
    assert delivery.settle(AttemptResult(410, None, 5), POLICY, NOW, 0.5) is True
    assert delivery.status is DeliveryStatus.DEAD and delivery.last_error == GONE


def test_an_inactive_endpoint_kills_the_delivery() -> None:
    delivery = _delivery()
    delivery.claim(uuid.uuid4(), NOW, LEASE)
    delivery.settle(AttemptResult(None, ENDPOINT_INACTIVE, 0), POLICY, NOW, 0.5)
    assert delivery.status is DeliveryStatus.DEAD


def test_a_message_for_an_attempt_already_made_is_stale() -> None:
    delivery = _delivery()
    assert delivery.why_not_claimable(NOW, series=1, attempt=1) is None
    delivery.claim(uuid.uuid4(), NOW, LEASE)
    # A duplicate of the message for attempt 1, while attempt 1 runs: wait for the lease.
    assert delivery.why_not_claimable(NOW, series=1, attempt=1) is ClaimRefusal.LEASED
    # ... and after its worker died, it takes over.
    assert delivery.why_not_claimable(NOW + LEASE, series=1, attempt=1) is None
    delivery.settle(AttemptResult(500, None, 5), POLICY, NOW, 0.0)
    later = NOW + timedelta(hours=1)
    assert delivery.why_not_claimable(later, series=1, attempt=1) is ClaimRefusal.STALE
    assert delivery.why_not_claimable(later, series=1, attempt=2) is None
    assert delivery.why_not_claimable(later, series=2, attempt=1) is ClaimRefusal.STALE


def test_the_last_attempt_abandoned_by_a_dead_worker_kills_the_delivery() -> None:
    delivery = _delivery()
    now = NOW
    for _ in range(3):
        delivery.claim(uuid.uuid4(), now, LEASE)
        if delivery.attempts < 3:
            delivery.settle(AttemptResult(500, None, 5), POLICY, now, 0.0)
            now = delivery.next_attempt_at or now
    assert not delivery.abandoned_last_attempt(POLICY, now)  # still within its lease
    assert delivery.abandoned_last_attempt(POLICY, now + LEASE)
    assert delivery.status is DeliveryStatus.DEAD and delivery.last_error == ABANDONED


def test_replay_starts_a_new_series_under_the_same_webhook_id() -> None:
    delivery = _delivery()
    webhook_id = delivery.webhook_id
    with pytest.raises(Conflict):
        delivery.replay(NOW)  # still pending
    delivery.claim(uuid.uuid4(), NOW, LEASE)
    delivery.settle(AttemptResult(200, None, 5), POLICY, NOW, 0.5)
    delivery.replay(NOW + timedelta(minutes=1))
    assert delivery.status is DeliveryStatus.PENDING
    assert (delivery.series, delivery.attempts) == (2, 0)
    assert delivery.webhook_id == webhook_id
    assert delivery.why_not_claimable(NOW + timedelta(minutes=1), series=2, attempt=1) is None


def test_the_payload_carries_ids_and_field_names_only() -> None:
    event_id, entity_id = uuid.uuid4(), uuid.uuid4()
    payload = webhook_payload(
        event_id, "customer.updated", "customer", entity_id, ("phone",), {"by": "api"}, NOW
    )
    assert payload == {
        "type": "customer.updated",
        "timestamp": "2025-01-01T12:00:00Z",
        "data": {
            "eventId": str(event_id),
            "entityType": "customer",
            "entityId": str(entity_id),
            "changedFields": ["phone"],
            "details": {"by": "api"},
        },
    }


# ---- endpoints -------------------------------------------------------------------------
def _endpoint(types: list[str], active: bool = True) -> WebhookEndpoint:
    return WebhookEndpoint.register(
        uuid.uuid4(), "https://hooks.example.com/in", types, "", active, NOW, allow_loopback=False
    )


def test_subscriptions_exact_prefix_and_everything() -> None:
    assert _endpoint(["customer.updated"]).subscribes_to("customer.updated")
    assert not _endpoint(["customer.updated"]).subscribes_to("customer.created")
    assert _endpoint(["customer.*"]).subscribes_to("customer.erased")
    assert not _endpoint(["customer.*"]).subscribes_to("customers.erased")
    assert _endpoint(["*"]).subscribes_to("webhook_endpoint.created")
    assert not _endpoint(["*"], active=False).subscribes_to("customer.created")


@pytest.mark.parametrize("types", [[], ["Customer.Updated"], ["customer"], ["**"], ["a.*.b"]])
def test_event_types_are_validated(types: list[str]) -> None:
    with pytest.raises(ValidationFailed):
        validate_event_types(types)


def test_event_types_are_deduplicated_and_sorted() -> None:
    assert validate_event_types(["order.*", "customer.created", "order.*"]) == (
        "customer.created",
        "order.*",
    )


def test_a_change_names_the_changed_fields_and_bumps_the_version() -> None:
    endpoint = _endpoint(["*"])
    later = NOW + timedelta(minutes=1)
    assert endpoint.change(later, description="", allow_loopback=False) == ()
    assert endpoint.version == 1
    changed = endpoint.change(
        later, url="https://other.example.com/", active=False, allow_loopback=False
    )
    assert changed == ("url", "active")
    assert endpoint.version == 2 and endpoint.updated_at == later
    with pytest.raises(ValidationFailed):
        endpoint.change(later, url="https://10.0.0.1/", allow_loopback=False)
