"""Review of waiting orders by the tenant's rule set (审单, ORD-1, ORD-5): 10,000 orders
awaiting review, 50 mixed rules. Measured: the job that reviews every waiting order
(``orders.review_waiting``: ranges of 200 reviewed two at a time, each page its own
transaction — the page locked, the rule set, the tenant's zone, the decisions applied, each
changed order saved with its timeline entries, audit records, events and the roles told of
a status change), or with ``--pages`` ``ReviewWaiting`` through the dispatcher a page at a
time until none is left — beside the same orders evaluated and applied by the pure domain
rule engine in memory (copies, no database), so the table shows what the database path
costs. Goal: the whole review under 10 s.

    .tools/bin/uv run --frozen python -m bench.orders_review [--orders N] [--page P] [--pages]

Creates its own migrated database on the local PostgreSQL and drops it at the end; needs
no Redis (events wait in the outbox). Before measuring, the database is analyzed (the load
filled empty tables), the bench's own data dropped and the heap frozen as a built server's
is (``bootstrap.heap``); ``--no-freeze`` leaves it, ``--profile`` runs cProfile.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import cProfile
import os
import pstats
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from application.orders.placing import NewLine, NewOrder, NewPayment, OrderSource, PlaceOrder
from application.orders.ports import OrderFilter
from application.orders.queries import ListOrders
from application.orders.review import ReviewWaiting, SaveRuleSet
from application.orders.review_job import AT_ONCE, RANGE, WaitingReviews
from application.shared.pagination import every_page
from bench._setup import bench_tenant, seed_stocked_skus
from bench.inventory_reserve import OPENING, SKUS
from bootstrap.event_loop import use_uvloop
from bootstrap.heap import freeze_heap
from domain.orders.payment_records import PaymentMethod
from domain.orders.rules.apply import apply_decision
from domain.orders.rules.engine import compile_rules
from domain.orders.rules.facts import EvaluationContext
from domain.orders.rules.ruleset import RuleSet, parse_rules
from domain.orders.status import OrderStatus
from domain.orders.values import FlagColour, Receiver, SellerMemo, ShippingAddress

GOAL_SECONDS = 10.0  # for 10,000 orders
RULES = 50
PLACERS = 8  # concurrent placements while loading (not measured)
PROVINCES = (
    ("浙江省", "杭州市", "西湖区"),
    ("江苏省", "南京市", "玄武区"),
    ("上海市", "上海市", "浦东新区"),
    ("广东省", "广州市", "天河区"),
    ("北京市", "北京市", "朝阳区"),
    ("四川省", "成都市", "武侯区"),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区"),
    ("西藏自治区", "拉萨市", "城关区"),
)
STREETS = ("文三路 1 号", "大学城 学校 南门", "菜鸟驿站 自提点", "世纪大道 8 号", "人民路 66 号")
MESSAGES = (None, None, None, None, "周末送货", "请开发票")
FLAGS = ("none", "none", "none", "red", "yellow")


def rules_for(skus: list[uuid.UUID], warehouse: uuid.UUID) -> list[dict[str, Any]]:
    """50 mixed rules, as a merchant's set grows: holds on big amounts and night payments,
    regions to warehouses and carriers, gifts on SKUs, messages and memos to read,
    addresses to check, merge eligibility by channel, and an approval for the rest."""
    made: list[dict[str, Any]] = []

    def rule(conditions: list[dict[str, Any]], actions: list[dict[str, Any]]) -> None:
        n = len(made)
        made.append(
            {
                "id": f"r{n:02d}",
                "name": f"规则 {n}",
                "priority": 10 + n * 10,
                "conditions": conditions,
                "actions": actions,
            }
        )

    for i in range(10):  # big orders, a threshold each
        rule(
            [{"kind": "amount_between", "min": str(2000 + 500 * i)}],
            [{"kind": "hold", "hours": 4, "reason": f"大额 {i}"}],
        )
    for province, _, _ in PROVINCES:  # region → carrier, and the east to one warehouse
        rule(
            [{"kind": "region_in", "provinces": [province]}],
            [{"kind": "assign_carrier", "carrier": "ems" if "自治区" in province else "sf"}],
        )
    for sku in skus[:6]:  # gifts with chosen SKUs
        rule(
            [{"kind": "has_skus", "skus": [str(sku)], "match": "any", "min_quantity": 2}],
            [{"kind": "add_gift", "sku_id": str(skus[-1]), "quantity": 1, "title": "小样"}],
        )
    for word in ("学校", "自提点", "驿站", "宿舍", "工地"):
        rule(
            [{"kind": "address_contains", "words": [word]}],
            [{"kind": "mark_abnormal", "type": "address_incomplete", "note": word}],
        )
    rule(
        [{"kind": "buyer_message_present"}], [{"kind": "mark_abnormal", "type": "message_to_read"}]
    )
    for flag in ("red", "yellow", "green", "blue"):
        rule(
            [{"kind": "seller_memo_present", "flags": [flag]}],
            [{"kind": "mark_abnormal", "type": "message_to_read"}],
        )
    for start, end in (
        ("00:00", "06:00"),
        ("22:00", "23:59"),
        ("12:00", "13:00"),
        ("06:00", "07:00"),
    ):
        rule(
            [{"kind": "paid_time_of_day", "from": start, "to": end}],
            [{"kind": "hold", "hours": 1, "reason": "夜间/午间复核"}],
        )
    rule([{"kind": "cash_on_delivery"}], [{"kind": "hold", "hours": 2, "reason": "货到付款"}])
    rule(
        [{"kind": "quantity_between", "min": 8}],
        [{"kind": "hold", "hours": 2, "reason": "数量多"}],
    )
    rule(
        [{"kind": "weight_between", "min_grams": 20000}],
        [{"kind": "assign_carrier", "carrier": "deppon"}],
    )
    rule(
        [{"kind": "region_in", "provinces": ["浙江省", "江苏省", "上海市"]}],
        [
            {"kind": "assign_warehouse", "warehouse_id": str(warehouse)},
            {"kind": "merge_eligible", "wait_minutes": 30},
        ],
    )
    rule(
        [{"kind": "customer_blacklisted"}], [{"kind": "mark_abnormal", "type": "blacklisted_buyer"}]
    )
    rule(
        [{"kind": "customer_tags_any", "tags": ["vip", "大客户"]}],
        [{"kind": "assign_carrier", "carrier": "sf"}],
    )
    while len(made) < RULES - 1:  # more thresholds on quantity that rarely match
        rule(
            [{"kind": "quantity_between", "min": 50 + len(made)}],
            [{"kind": "hold", "hours": 1, "reason": "批量单"}],
        )
    rule([], [{"kind": "approve"}])  # the rest: approved
    assert len(made) == RULES
    return made


def new_order(
    i: int, rng: random.Random, skus: list[uuid.UUID], channels: list[uuid.UUID]
) -> NewOrder:
    province, city, district = rng.choice(PROVINCES)
    lines = tuple(
        NewLine(
            sku,
            rng.randint(1, 4),
            unit_price=Decimal(rng.randint(500, 90000)) / 100,
            platform_order_id=f"P{i}",
            platform_sub_order_id=f"P{i}-{n}",
            unit_weight_grams=rng.choice((200, 500, 1500, 8000)),
        )
        for n, sku in enumerate(rng.sample(skus[:-1], rng.randint(1, 3)))
    )
    total = sum(((line.unit_price or Decimal(0)) * line.quantity for line in lines), Decimal(0))
    paid_at = datetime.now(UTC) - timedelta(minutes=rng.randint(1, 24 * 60))
    return NewOrder(
        lines,
        Receiver(
            f"买家{i % 997}",
            f"138{i % 100000000:08d}",
            ShippingAddress(province, city, district, rng.choice(STREETS)),
        ),
        OrderSource.MARKETPLACE,
        channel_id=rng.choice(channels),
        platform_order_ids=(f"P{i}",),
        buyer_message=rng.choice(MESSAGES),
        seller_memo=SellerMemo("备注", FlagColour(rng.choice(FLAGS)))
        if rng.random() < 0.3
        else None,
        payments=(NewPayment(PaymentMethod.PLATFORM, total, paid_at, f"T{i}"),),
    )


async def channels_of(admin_url: str, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    conn = await asyncpg.connect(admin_url)
    try:
        made = [uuid.uuid4() for _ in range(3)]
        await conn.executemany(
            "INSERT INTO sales_channels (tenant_id, id, code, name, kind, created_at, updated_at)"
            " VALUES ($1, $2, $3, $3, 'marketplace', now(), now())",
            [(tenant_id, c, f"shop-{n}") for n, c in enumerate(made)],
        )
        return made
    finally:
        await conn.close()


async def analyze(admin_url: str) -> None:
    """Statistics for every table, as the superuser: the load filled empty tables, and a
    pooled connection's plans made before (the foreign-key checks' on ``order_timeline``
    and ``order_lines`` → ``orders`` above all) scan what they took for empty tables — the
    timeline insert took 240 ms a page. A live database has statistics (autovacuum
    analyzes tables as they grow); an ``ANALYZE`` invalidates the plans made without."""
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def review_by_pages(container: Any, call: Any, page: int) -> tuple[int, int]:
    """``ReviewWaiting`` a page after another, following the cursor: orders, pages."""
    reviewed = pages = 0
    cursor = None
    while True:
        done = await container.use_cases.run(call, ReviewWaiting(cursor, page))
        reviewed, pages, cursor = reviewed + done.reviewed, pages + 1, done.next_cursor
        if cursor is None:
            return reviewed, pages


async def review_by_job(container: Any, call: Any) -> tuple[int, int]:
    """The job reviewing every waiting order, run here as a worker would: orders, ranges."""
    reviews = container.get(WaitingReviews)
    job = await reviews.start(call, enqueue=False)
    done = await reviews.run(call.tenant_id, job.id)
    return done.done, -(-done.done // RANGE)


async def reviewed_away(admin_url: str) -> int:
    """Orders no longer awaiting review (each one the review changed)."""
    conn = await asyncpg.connect(admin_url)
    try:
        found = await conn.fetchval("SELECT count(*) FROM orders WHERE status <> 'awaiting_review'")
        return int(found)
    finally:
        await conn.close()


async def run(
    count: int, page: int, freeze: bool = True, profile: bool = False, by_job: bool = True
) -> bool:
    async with bench_tenant("review") as bench:
        container, call, (warehouse,) = bench.container, bench.ctx, bench.warehouses
        skus = await seed_stocked_skus(bench, SKUS, OPENING)
        channels = await channels_of(bench.admin_url, call.tenant_id)
        rng = random.Random(11)
        orders = [new_order(i, rng, skus, channels) for i in range(count)]
        started = time.perf_counter()
        queue = iter(orders)

        async def placer() -> None:
            for new in queue:
                await container.use_cases.run(call, PlaceOrder(new))

        await asyncio.gather(*(placer() for _ in range(PLACERS)))
        loaded = time.perf_counter() - started
        print(f"loaded {count:,} orders awaiting review in {loaded:.1f} s")
        saved = await container.use_cases.run(call, SaveRuleSet(rules_for(skus, warehouse), 0))
        await analyze(bench.admin_url)  # untimed: the statistics a live database has

        # Baseline: the same orders, read once, evaluated and applied in memory.
        awaiting = OrderFilter(OrderStatus.AWAITING_REVIEW)
        listed = await every_page(
            lambda cursor, size: container.use_cases.query(call, ListOrders(awaiting, cursor, size))
        )
        memory = await in_memory(saved, [stored.order for stored in listed])
        del orders, listed  # the benchmark's own data: not what a server holds
        if freeze:  # as the HTTP app, a worker and the scheduler do once built (bootstrap.heap)
            freeze_heap()

        profiler = cProfile.Profile() if profile else None
        if profiler:
            profiler.enable()
        started, cpu = time.perf_counter(), time.process_time()
        if by_job:
            reviewed, pages = await review_by_job(container, call)
        else:
            reviewed, pages = await review_by_pages(container, call, page)
        through_db = time.perf_counter() - started
        cpu = time.process_time() - cpu
        if profiler:
            profiler.disable()
        changed = await reviewed_away(bench.admin_url)
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(30)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} (2 shared cores)")
    return report(count, page, pages, reviewed, changed, (through_db, cpu), memory, by_job)


async def in_memory(rule_set: RuleSet, waiting: list[Any]) -> tuple[float, int]:
    """Seconds to evaluate and apply the rule set to copies of the orders (the copies made
    before the clock starts), and how many actions were applied."""
    compiled = compile_rules(RuleSet.empty().revise(parse_rules(rule_set.to_dict()["rules"])))
    now = datetime.now(UTC)
    context = EvaluationContext(now)
    copies = [copy.deepcopy(o) for o in waiting]
    started = time.perf_counter()
    applied = 0
    for order in copies:
        decision = compiled.evaluate(order, context)
        applied += len(apply_decision(order, decision, at=now, new_line_id=uuid.uuid4).outcomes)
    return time.perf_counter() - started, applied


def report(
    count: int,
    page: int,
    pages: int,
    reviewed: int,
    changed: int,
    database: tuple[float, float],
    memory: tuple[float, int],
    by_job: bool = True,
) -> bool:
    """The table; ``database``: wall seconds and this process's CPU seconds."""
    (through_db, cpu), (seconds, applied) = database, memory
    goal = GOAL_SECONDS * count / 10_000
    print(f"review of {reviewed:,} waiting orders by {RULES} rules ({pages} pages of {page})")
    print(f"{'path':<44}{'seconds':>10}{'orders/s':>11}{'ms/order':>10}")
    way = f"job ({AT_ONCE} pages at once, a txn each)"
    if not by_job:
        way = "ReviewWaiting (a page, a txn, in turn)"
    for label, took in (
        (way, through_db),
        ("domain engine in memory (baseline)", seconds),
    ):
        print(f"{label:<44}{took:>10.2f}{reviewed / took:>11,.0f}{1000 * took / reviewed:>10.3f}")
    print(f"  of which this process's CPU: {cpu:.2f} s ({1000 * cpu / reviewed:.3f} ms/order)")
    print(f"orders changed: {changed:,}; actions applied in memory: {applied:,}")
    print(f"database path / in memory: {through_db / seconds:.1f}x")
    ok = through_db < goal and reviewed == count
    print(f"goal: under {goal:.1f} s for {count:,} orders — {'met' if ok else 'MISSED'}")
    return ok


def main() -> Any:
    """For ``python -m bench``: 10,000 orders times ``BENCH_SCALE``."""
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    return run(max(200, round(10_000 * scale)), 200)


if __name__ == "__main__":
    use_uvloop()  # the loop the deployed processes run on (bootstrap/event_loop.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--page", type=int, default=200)
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave the heap unfrozen (the figures before)"
    )
    parser.add_argument(
        "--pages",
        action="store_true",
        help="ReviewWaiting a page after another (the cursor followed), not the job",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="cProfile the measured review: top 40 by cumulative, 30 by own time",
    )
    args = parser.parse_args()
    ran = run(args.orders, args.page, not args.no_freeze, args.profile, not args.pages)
    raise SystemExit(0 if asyncio.run(ran) else 1)
