"""Carrier settlement in the database (ORD-11): a hand-made statement of the month,
uploaded over HTTP and reconciled by its job, finds each kind of difference against the
waybills fulfilment booked — and nothing else; its unreadable row is an error apart. A
hand-made COD remittance is reconciled against the COD waybills (delivered, amounts to
collect), marks the ones it pays in full, is recorded once per carrier reference, and a
later one finds what the first paid already."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from adapters.carriers.simulated.server import CarrierConfig
from application.logistics.settlement import RECONCILE_KIND, Settlements
from entrypoints.worker.tasks import load_task_modules, registered_tasks
from tests.conftest import TenantHandle
from tests.integration.logistics.support import shipped_parcels
from tests.integration.notifications.test_notifications import owner
from tests.support.carrier import RunningCarrier, simulated_carrier

__all__ = ["owner"]
BASE = "/api/v1/logistics"


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningCarrier]:
    with simulated_carrier(CarrierConfig(step_seconds=60)) as running:
        yield running


def _differences(body: dict[str, object]) -> list[tuple[object, ...]]:
    items = body["differences"]
    assert isinstance(items, list)
    return [(d["kind"], d["trackingNo"], d["row"], d["billed"], d["expected"]) for d in items]


async def test_ord11_a_statement_finds_each_difference_and_a_remittance_reconciles_cod(
    tenant: TenantHandle, sim: RunningCarrier, owner: asyncpg.Connection
) -> None:
    code, carrier_id, parcels = await shipped_parcels(tenant, sim, 4)
    p = [s.tracking_no or "" for s in parcels]
    headers = await tenant.headers("owner")
    client = tenant.client
    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    statement = "\n".join(
        [
            "运单号,计费重量,运费,备注",
            f"{p[0]},1.2,10.50,",
            f"{p[1]},2.0,10.50,多计重",
            f"{p[2]},1.2,99.00,价格不符",
            "NOPE0001,1,8.00,不明运单",
            f"{p[0]},1.2,10.50,重复",
            f"{p[3]},abc,8.00,读不懂",
        ]
    ).encode("utf-8")
    uploaded = await client.post(
        f"{BASE}/carriers/{carrier_id}/statements",
        files={"file": ("202611.csv", statement, "text/csv")},
        data={"month": month},
        headers=headers,
    )
    assert uploaded.status_code == 202, uploaded.text
    assert uploaded.json()["status"] == "reconciling"
    job = await tenant.container.get(Settlements).run(tenant.id, UUID(uploaded.json()["jobId"]))
    assert job.succeeded
    shown = (await client.get(uploaded.headers["location"], headers=headers)).json()
    assert shown["status"] == "reconciled" and shown["lines"] == 5
    assert shown["billedTotal"] == "138.50"
    assert _differences(shown) == [
        ("overweight", p[1], 3, "2000", "1200"),
        ("price_mismatch", p[2], 4, "99.00", "10.50"),
        ("unknown_waybill", "NOPE0001", 5, None, None),
        ("duplicate_line", p[0], 6, None, None),
        ("missing_from_bill", p[3], None, None, "1200"),
    ]
    assert [(e["row"], e["column"]) for e in shown["firstErrors"]] == [(7, "weight_kg")]
    wrong_month = await client.post(
        f"{BASE}/carriers/{carrier_id}/statements",
        files={"file": ("x.csv", statement, "text/csv")},
        data={"month": "2026-13"},
        headers=headers,
    )
    assert wrong_month.status_code == 422 and wrong_month.json()["code"] == "invalid_month"

    # COD: three parcels delivered with an amount to collect (set by hand), the fourth not COD.
    for shipment, amount in zip(parcels[:3], ("120.00", "88.50", "45.00"), strict=True):
        await owner.execute(
            "UPDATE waybills SET cash_on_delivery = $3::numeric, delivered_at = now()"
            " WHERE tenant_id = $1 AND shipment_id = $2",
            tenant.id,
            shipment.id,
            amount,
        )
    url = f"{BASE}/carriers/{carrier_id}/cod-remittances"
    first = {
        "reference": "HK-2026-001",
        "lines": [
            {"trackingNo": p[0], "amount": "120.00"},
            {"trackingNo": p[1], "amount": "80.00"},
            {"trackingNo": "ZZ0001", "amount": "5.00"},
            {"trackingNo": p[3], "amount": "10.00"},
        ],
    }
    finer = {
        "reference": "HK-2026-000",
        "lines": [first["lines"][0], {**first["lines"][1], "amount": "12.345"}],
    }
    refused = await client.post(url, json=finer, headers={**headers, "Accept-Language": "en"})
    assert refused.status_code == 422, refused.text
    (error,) = refused.json()["errors"]
    assert (error["field"], error["code"]) == ("lines[1].amount", "invalid_price")
    assert "100000" in error["message"]  # the house's one money check, its bound named
    assert (
        await owner.fetchval("SELECT count(*) FROM cod_remittances WHERE tenant_id = $1", tenant.id)
        == 0
    )
    recorded = await client.post(url, json=first, headers=headers)
    assert recorded.status_code == 201, recorded.text
    body = recorded.json()
    assert (body["total"], body["matched"]) == ("215.00", 1)
    assert _differences(body) == [
        ("amount_mismatch", p[1], 2, "80.00", "88.50"),
        ("unknown_waybill", "ZZ0001", 3, "5.00", None),
        ("unknown_waybill", p[3], 4, "10.00", None),
        ("missing_from_remittance", p[2], None, None, "45.00"),
    ]
    assert (await client.get(recorded.headers["location"], headers=headers)).json() == body
    twice = await client.post(url, json=first, headers=headers)
    assert twice.status_code == 409 and twice.json()["code"] == "remittance_recorded"
    second = {
        "reference": "HK-2026-002",
        "lines": [
            {"trackingNo": p[0], "amount": "120.00"},
            {"trackingNo": p[2], "amount": "45.00"},
        ],
    }
    later = (await client.post(url, json=second, headers=headers)).json()
    assert later["matched"] == 1 and _differences(later) == [
        ("already_remitted", p[0], 1, "120.00", None),
        ("missing_from_remittance", p[1], None, None, "88.50"),
    ]
    assert code


async def test_ord11_an_unreadable_statement_fails_its_job_and_says_why(
    tenant: TenantHandle, sim: RunningCarrier
) -> None:
    _, carrier_id, _ = await shipped_parcels(tenant, sim, 1)
    headers = await tenant.headers("owner")
    uploaded = await tenant.client.post(
        f"{BASE}/carriers/{carrier_id}/statements",
        files={"file": ("bill.xlsx", b"not a workbook", "application/octet-stream")},
        data={"month": "2026-11"},
        headers=headers,
    )
    assert uploaded.status_code == 202, uploaded.text
    job = await tenant.container.get(Settlements).run(tenant.id, UUID(uploaded.json()["jobId"]))
    assert not job.succeeded
    shown = (await tenant.client.get(uploaded.headers["location"], headers=headers)).json()
    assert shown["status"] == "failed" and shown["differences"] == []
    assert [e["code"] for e in shown["firstErrors"]] == ["file_unreadable"]


async def test_ord11_a_statement_whose_carrier_is_gone_fails_and_says_why(
    tenant: TenantHandle, sim: RunningCarrier, owner: asyncpg.Connection
) -> None:
    code, carrier_id, _ = await shipped_parcels(tenant, sim, 1)
    headers = await tenant.headers("owner")
    uploaded = await tenant.client.post(
        f"{BASE}/carriers/{carrier_id}/statements",
        files={"file": ("bill.csv", "运单号,计费重量,运费\nSF1,1,8.00\n".encode(), "text/csv")},
        data={"month": "2026-11"},
        headers=headers,
    )
    assert uploaded.status_code == 202, uploaded.text
    # Before the job runs, the carrier's code changes under it: no carrier of that code.
    await owner.execute(
        "UPDATE carriers SET code = 'GONE' WHERE tenant_id = $1 AND code = $2", tenant.id, code
    )
    job = await tenant.container.get(Settlements).run(tenant.id, UUID(uploaded.json()["jobId"]))
    assert not job.succeeded
    shown = (await tenant.client.get(uploaded.headers["location"], headers=headers)).json()
    assert shown["status"] == "failed"  # never left "reconciling"
    assert [e["code"] for e in shown["firstErrors"]] == ["not_found"]


def test_the_worker_runs_the_reconciliation_job() -> None:
    load_task_modules()
    assert RECONCILE_KIND in registered_tasks()
