"""Aggregates record their own events (``RecordsEvents``); the runner takes them with
``Work.publish``. The types, ids and changed-field lists are the ones the outbox held
before the aggregates recorded them (#8)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domain.catalog.brand import Brand
from domain.catalog.product_type import ProductType
from domain.shared.events import DomainEvent
from domain.webhooks.endpoint import WebhookEndpoint

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_brand_records_creation_and_each_change() -> None:
    brand = Brand.create(uuid.uuid4(), "Anta")
    assert brand.pull_events() == [DomainEvent("brand.created", "brand", brand.id)]
    assert brand.pull_events() == []  # taken once
    assert not brand.rename("Anta")
    assert brand.events == []  # no change, no event
    assert brand.rename("Li-Ning")
    assert brand.remove_logo() is None
    assert brand.pull_events() == [DomainEvent("brand.updated", "brand", brand.id, ("name",))]


def test_a_product_type_records_the_fields_a_revision_changed() -> None:
    product_type = ProductType.create(uuid.uuid4(), "Shoes", [])
    assert product_type.pull_events() == [
        DomainEvent("product_type.created", "product_type", product_type.id)
    ]
    assert product_type.revise("Boots", []) == ("name",)
    assert product_type.pull_events() == [
        DomainEvent("product_type.updated", "product_type", product_type.id, ("name",))
    ]


def test_a_webhook_endpoint_records_field_names_never_the_url() -> None:
    endpoint = WebhookEndpoint.register(
        uuid.uuid4(),
        "https://example.com/hooks",
        ["product.*"],
        "",
        True,
        NOW,
        allow_loopback=False,
    )
    endpoint.change(NOW, active=False, allow_loopback=False)
    endpoint.secret_rotated(NOW)
    assert endpoint.pull_events() == [
        DomainEvent(
            "webhook_endpoint.created",
            "webhook_endpoint",
            endpoint.id,
            ("active", "description", "eventTypes", "url"),
        ),
        DomainEvent("webhook_endpoint.updated", "webhook_endpoint", endpoint.id, ("active",)),
        DomainEvent(
            "webhook_endpoint.secret_rotated", "webhook_endpoint", endpoint.id, ("secret",)
        ),
    ]
