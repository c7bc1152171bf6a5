"""The bare minimum an HTTP placement could cost (P1's second baseline): a Litestar app whose
one handler sends only a captured placement's SQL (``bench/_replay.py``: the token check's,
the idempotency claim's and answer's too) through an asyncpg pool — no authentication,
permission, idempotency, pricing or domain code, no middleware —
served the way ``shopkeeper serve`` serves the API (uvicorn, as many worker processes, the
same options: ``entrypoints/cli/commands/serve.py``).

    python -m bench._bare_server   # with BENCH_BARE_REPLAY, BENCH_BARE_SKU, BENCH_BARE_DSN, PORT,
                                   # WORKERS

``BENCH_BARE_REPLAY`` is a pickled ``(statements, generated ids, unique texts, statements
before the transaction)`` (``save_replay``); ``BENCH_BARE_SKU`` the captured SKU the
request's ``sku`` replaces.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
from litestar import Litestar, get, post

from adapters.system import Uuid7Generator
from bench._replay import Replay

POOL_SIZE = 10  # the API's pool (SQLAlchemy's default, without its overflow)


def save_replay(replay: Replay, path: Path) -> None:
    saved = (replay.statements, replay.generated, replay.unique, replay.before)
    path.write_bytes(pickle.dumps(saved))


def create_app() -> Litestar:
    saved = pickle.loads(Path(os.environ["BENCH_BARE_REPLAY"]).read_bytes())
    statements, generated, unique, before = saved
    # one tag a worker process: each counts its own placements, their numbers never meet
    tag = f"B{os.getpid()}"
    replay = Replay(statements, generated, Uuid7Generator(), unique, tag, before)
    captured = UUID(os.environ["BENCH_BARE_SKU"])
    pools: list[asyncpg.Pool] = []

    async def open_pool() -> None:
        pools.append(
            await asyncpg.create_pool(
                os.environ["BENCH_BARE_DSN"], min_size=POOL_SIZE, max_size=POOL_SIZE
            )
        )

    async def close_pool() -> None:
        await pools[0].close()

    @post("/orders")
    async def place(data: dict[str, Any]) -> dict[str, bool]:
        async with pools[0].acquire() as conn:
            await replay.send(conn, {captured: UUID(data["sku"])})
        return {"placed": True}

    @get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return Litestar([place, health], on_startup=[open_pool], on_shutdown=[close_pool])


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(
        "bench._bare_server:create_app",
        factory=True,
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        workers=int(os.environ["WORKERS"]),
        log_level="info",
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
