"""A captured call's transaction (``bench/_replay.py``) as a pgbench script, and pgbench run
on it: PostgreSQL's own load generator, in C, as the floor under any client's overhead.

Each statement is written out with its captured arguments as typed literals (the server's
own text form of each value, ``E'…'::type``), sent by ``pgbench -M prepared`` (parsed once
per connection, as asyncpg's prepared statements are). Per transaction, the values the
application made fresh are made fresh here too from pgbench variables: every generated id
becomes ``bbbbbbbb-<its index>-4<client>-8000-0<counter>`` (a counter per client, started
apart for each run, so ids never repeat), texts kept unique (an order's number) become
``SR<client><counter>``, and named values (the SKU of the call) a chosen expression over
pgbench variables. Timestamps stay as captured (the same work either way).

pgbench substitutes ``:name`` anywhere in a statement, quotes or not, so a literal's colons
are written as ``\\x3a`` inside ``E''`` strings.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import statistics
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import asyncpg

from bench._replay import Replay, Sent

PLACEHOLDER = re.compile(r"\$(\d+)\b")
_runs = itertools.count(1)


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "''").replace(":", "\\x3a")
    return f"E'{escaped}'"


def _spliced(text: str, fresh: Mapping[str, str]) -> str:
    """``text`` as a SQL text expression, each key of ``fresh`` in it replaced by its
    expression (pgbench variables)."""
    if not fresh:
        return _literal(text)
    pattern = re.compile("|".join(re.escape(k) for k in sorted(fresh, key=len, reverse=True)))
    parts: list[str] = []
    at = 0
    for found in pattern.finditer(text):
        if found.start() > at:
            parts.append(_literal(text[at : found.start()]))
        parts.append(f"({fresh[found.group()]})")
        at = found.end()
    if at < len(text):
        parts.append(_literal(text[at:]))
    return " || ".join(parts) if parts else "''"


async def _statement(conn: asyncpg.Connection, sent: Sent, fresh: Mapping[str, str]) -> str:
    if not sent.args:
        return sent.query.strip().rstrip(";")
    prepared = await conn.prepare(sent.query)
    types = [
        await conn.fetchval("SELECT format_type($1, NULL)", p.oid)
        for p in prepared.get_parameters()
    ]
    literals = []
    for value, kind in zip(sent.args, types, strict=True):
        if value is None:
            literals.append(f"CAST(NULL AS {kind})")
            continue
        text = await conn.fetchval(f"SELECT CAST(CAST($1 AS {kind}) AS text)", value)
        literals.append(f"CAST({_spliced(text, fresh)} AS {kind})")
    return PLACEHOLDER.sub(lambda m: literals[int(m.group(1)) - 1], sent.query.strip())


async def script(
    conn: asyncpg.Connection, replay: Replay, named: Mapping[UUID, str], sets: list[str]
) -> str:
    """The pgbench script of one call of ``replay``: ``named`` maps captured values to the
    SQL expression (over pgbench variables) each transaction uses instead; ``sets`` are the
    ``\\set`` lines those variables need."""
    fresh = {
        str(old): f"E'bbbbbbbb-{i:04d}-4' || :c || E'-8000-0' || :n"
        for i, old in enumerate(sorted(replay.generated))
    }
    fresh.update(dict.fromkeys(replay.unique, "E'SR' || :c || :n"))
    fresh.update({str(old): expression for old, expression in named.items()})
    lines = ["\\set c 100 + :client_id", "\\set n :n + 1", *sets]
    lines += [await _statement(conn, sent, fresh) + ";" for sent in replay.before]
    lines.append("BEGIN;")
    lines += [await _statement(conn, sent, fresh) + ";" for sent in replay.statements]
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class PgbenchRun:
    rate: float  # transactions a second (pgbench's tps, initial connections excluded)
    latencies_ms: list[float]  # each transaction's, from pgbench's log

    def percentile(self, q: int) -> float:
        return statistics.quantiles(self.latencies_ms, n=100)[q - 1]


async def pgbench(url: str, script_text: str, clients: int, transactions: int) -> PgbenchRun:
    """``transactions`` of ``script_text`` by ``clients`` connections (``-M prepared``, two
    threads: the machine's cores), each transaction's latency logged."""
    per_client = max(1, transactions // clients)
    start = 10_000_000_000 + next(_runs) * 100_000_000  # this run's counters, apart
    with tempfile.TemporaryDirectory(prefix="pgbench-") as folder:
        path = Path(folder) / "call.sql"
        path.write_text(script_text, encoding="utf-8")
        command = ["pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", "2"]
        command += ["-t", str(per_client), "-D", f"n={start}", "-f", str(path)]
        command += ["-l", f"--log-prefix={folder}/log", url]
        done = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        output = (await done.communicate())[0].decode()
        if done.returncode != 0 or "tps = " not in output:
            raise RuntimeError(f"pgbench failed ({done.returncode}):\n{output}")
        tps = float(re.search(r"tps = ([\d.]+) \(without initial", output).group(1))  # type: ignore[union-attr]
        failed = re.search(r"number of failed transactions: (\d+)", output)
        if failed and int(failed.group(1)):
            raise RuntimeError(f"pgbench: transactions failed:\n{output}")
        latencies = _logged(Path(folder))
    return PgbenchRun(tps, latencies)


def _logged(folder: Path) -> list[float]:
    """Each transaction's latency in ms from pgbench's ``-l`` logs (third field, µs)."""
    return [
        int(line.split()[2]) / 1000
        for log in folder.glob("log.*")
        for line in log.read_text().splitlines()
    ]


def available() -> bool:
    """pgbench on PATH (it comes with PostgreSQL's client programs)."""
    return any(
        os.access(Path(folder) / "pgbench", os.X_OK)
        for folder in os.environ.get("PATH", "").split(os.pathsep)
    )
