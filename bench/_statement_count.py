"""P3: SQL statements per order placement over HTTP — every statement the whole pipeline
(token check, idempotency claim, the use case, the stored answer) sends to the database,
counted at the driver (``bench/_replay.py``'s capture) around one ``POST /api/v1/orders``
on the application in this process (httpx's ASGI transport, as the e2e tests drive it).
Transaction control (``BEGIN``, ``COMMIT``) is shown apart, and so is the order-number
block fetched once in fifty placements (decision 49): neither is a statement of the work.
The same capture is what P1's baselines replay (decision 107).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx

from bench._figures import Figure, record
from bench._replay import Sent, capturing
from bench._setup import PASSWORD, BenchTenant
from entrypoints.http.app import create_app

GOAL = 12
CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK)\b", re.IGNORECASE)
KEY_ROW = re.compile(r"[0-9a-f]{64}")  # an idempotency key's row id (a SHA-256, hex)


@contextmanager
def _logging_kept() -> Iterator[None]:
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    try:
        yield
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers


@dataclass(frozen=True)
class CapturedPlacement:
    """One ``POST /api/v1/orders`` as the database saw it."""

    sent: list[Sent]  # every statement, in order (the number block left out)
    generated: set[UUID]  # the ids the application made for it
    unique: tuple[str, ...]  # texts the database keeps unique: the order's number, the key's row


async def capture_placement(bench: BenchTenant, body: dict[str, Any]) -> CapturedPlacement:
    """The statements one HTTP placement of ``body``'s order sends, after one placement
    before it (caches, the number block)."""
    container = bench.container
    with _logging_kept():  # the app configures logging for its process: not the bench's
        app = create_app(container)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        login = await client.post(
            "/api/v1/auth/login",
            json={"tenant": bench.slug, "email": bench.owner_email, "password": PASSWORD},
        )
        headers = {"Authorization": f"Bearer {login.json()['accessToken']}"}

        async def place() -> str:
            key = {"Idempotency-Key": uuid.uuid4().hex}
            answer = await client.post("/api/v1/orders", json=body, headers=headers | key)
            assert answer.status_code == 201, answer.text
            return str(answer.json()["number"])

        await place()  # caches, the token's first check, the number block
        with capturing(container.ids) as (sent, generated):
            number = await place()
    kept = [s for s in sent if "order_number_seq" not in s.query]
    claim = next(s for s in kept if "pg_try_advisory_xact_lock" in s.query)
    key_row = next(a for a in claim.args if isinstance(a, str) and KEY_ROW.fullmatch(a))
    return CapturedPlacement(kept, generated, (number, key_row))


def count_statements(placement: CapturedPlacement, use_case: int) -> bool:
    """P3: the statements of ``placement``; ``use_case``: the statements the use case alone
    sends (the baseline column)."""
    queries = [" ".join(s.query.split()) for s in placement.sent]
    control = [q for q in queries if CONTROL.match(q)]
    work = [q for q in queries if not CONTROL.match(q)]
    print(f"P3: statements of one HTTP placement: {len(work)} (+ {len(control)} BEGIN/COMMIT)")
    for query in work:
        print(f"   {query[:100]}")
    met = len(work) <= GOAL
    record(
        Figure(
            "P3",
            "SQL statements per HTTP order placement (baseline: the use case alone)",
            len(work),
            "statements",
            use_case,
            None,
            f"<= {GOAL}",
            met,
            {"transaction_control": len(control), "statements": [q[:100] for q in work]},
        )
    )
    return met
