"""No personal data in logs (PLT-4, PLT-7): everything the service logs while a customer
is created, searched by phone, email and name, read and changed — structlog's JSON lines
every standard-library logger down to DEBUG and SQLAlchemy's statements with their
parameters — holds none of the customer's name, phone or email in any form."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import httpx
import pytest
import structlog

from entrypoints.logging import configure_logging
from tests.conftest import TenantHandle

BASE = "/api/v1/customers"
NAME, PHONE, EMAIL = "慕容复", "13655556666", "murong.fu@yanziwu.example"


@contextmanager
def service_logs_at_debug() -> Iterator[None]:
    """The service's own logging set-up, at DEBUG, then put back. Entered inside the test
    body: the handlers bind to the ``sys.stdout`` of that moment, which capsys captures."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    saved_structlog = structlog.get_config()
    # The test's HTTP client logs each URL it calls (query strings included). That is the
    # caller's log, not the service's: keep it out of the capture.
    client_loggers = [logging.getLogger(n) for n in ("httpx", "httpcore")]
    # SQLAlchemy keeps its statements quiet unless asked; ask, as someone debugging would:
    # then every bound parameter is logged too.
    sql = logging.getLogger("sqlalchemy.engine")
    saved_levels = [lg.level for lg in (*client_loggers, sql)]
    configure_logging("debug")
    for lg in client_loggers:
        lg.setLevel(logging.WARNING)
    sql.setLevel(logging.INFO)
    try:
        yield
    finally:
        for lg, level in zip((*client_loggers, sql), saved_levels, strict=True):
            lg.setLevel(level)
        structlog.configure(**saved_structlog)
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)


def _forms(value: str) -> set[str]:
    return {
        value,
        value.lower(),
        value.upper(),
        quote(value),
        quote(value, safe=""),
        value.encode("unicode_escape").decode(),
    }


async def test_no_personal_data_in_logs(
    tenant: TenantHandle,
    client: httpx.AsyncClient,
    capsys: pytest.CaptureFixture[str],
) -> None:
    headers = await tenant.headers("customer_service")
    with service_logs_at_debug():
        await _customer_work(client, headers)
        captured = capsys.readouterr()
    logs = captured.out + captured.err
    # The capture works: the service's access lines and SQLAlchemy's statements are here.
    assert '"path": "/api/v1/customers/search"' in logs
    assert "INSERT INTO customers" in logs
    for value in (NAME, "慕容", PHONE, "+86" + PHONE, "5556666", EMAIL, "murong", "燕子坞"):
        for form in _forms(value):
            assert form not in logs, f"{value!r} appears in the logs as {form!r}"


async def _customer_work(client: httpx.AsyncClient, headers: dict[str, str]) -> None:

    created = await client.post(
        BASE,
        json={
            "name": NAME,
            "phone": PHONE,
            "email": EMAIL,
            "addresses": [
                {
                    "province": "江苏省",
                    "city": "苏州市",
                    "district": "吴中区",
                    "line": "燕子坞参合庄",
                    "recipient": NAME,
                    "phone": PHONE,
                }
            ],
        },
        headers={**headers, "Idempotency-Key": "log-test"},
    )
    assert created.status_code == 201, created.text
    url = f"{BASE}/{created.json()['id']}"
    for params in ({"phone": PHONE}, {"email": EMAIL}, {"q": NAME}, {"q": "慕容"}):
        found = await client.get(f"{BASE}/search", params=params, headers=headers)
        assert found.status_code == 200 and len(found.json()["items"]) == 1, params
    assert (await client.get(url, headers=headers)).json()["name"] == NAME
    changed = await client.patch(
        url, json={"email": EMAIL.upper()}, headers={**headers, "If-Match": '"v1"'}
    )
    assert changed.status_code == 200, changed.text
    invalid = await client.post(BASE, json={"name": NAME, "phone": PHONE + "999"}, headers=headers)
    assert invalid.status_code == 422
