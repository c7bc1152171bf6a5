"""Thresholds, alerts and the alert robot in Postgres (INV-3).

``watch`` is one hand-written query (``text``): the levels summed over batches, each with
its own thresholds or, field by field, the nearest category default up the tree (through
the catalog's closure table, by name: decisions.md section 29), and the kinds of alert
open on it. ``raise_alert`` inserts into the partial unique index ``stock_alerts_open``
with ``ON CONFLICT DO NOTHING``: of two evaluations racing over the same crossing (a
command and a sweep, two sweepers), the second waits for the first and writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from asyncpg import Record
from sqlalchemy import Uuid, and_, bindparam, delete, literal, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.postgres.inventory.tables import (
    alert_robots,
    category_thresholds,
    stock_alerts,
    stock_thresholds,
    warehouses,
)
from adapters.postgres.shared.driver import DriverStatement
from adapters.postgres.shared.errors import raise_for_constraint
from adapters.postgres.shared.rows import AnyRow, TenantRepository, one_updated
from adapters.postgres.shared.unreadable import UnreadableValues
from application.inventory.ports import AlertPosition, LevelPosition
from application.shared.field_cipher import FieldCipher
from application.shared.tenant_terms import DEFAULT_TIME_ZONE
from domain.inventory.alerts import (
    AlertKind,
    AlertRobot,
    AlertStatus,
    CategoryThreshold,
    RobotKind,
    StockAlert,
    StockThreshold,
    Thresholds,
    Watched,
)
from domain.inventory.batches import StockSettings
from domain.shared.errors import NotFound

_NO_SKU = {
    "stock_thresholds_tenant_id_sku_id_fkey": lambda: NotFound(entity="sku"),
    "stock_thresholds_tenant_id_warehouse_id_fkey": lambda: NotFound(entity="warehouse"),
    "category_thresholds_tenant_id_category_id_fkey": lambda: NotFound(entity="category"),
}

_WATCH = """
WITH lv AS (
    SELECT sku_id, warehouse_id, sum(on_hand) AS on_hand,
           sum(on_hand - reserved - pick_locked) AS available
    FROM stock_levels
    WHERE tenant_id = :tenant {levels}
    GROUP BY sku_id, warehouse_id
), defaults AS (
    SELECT DISTINCT ON (s.id) s.id AS sku_id, ct.low, ct.high
    FROM skus s
    JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
    JOIN category_closure cc ON cc.tenant_id = p.tenant_id AND cc.descendant_id = p.category_id
    JOIN category_thresholds ct ON ct.tenant_id = cc.tenant_id AND ct.category_id = cc.ancestor_id
    WHERE s.tenant_id = :tenant AND s.id IN (SELECT sku_id FROM lv)
    ORDER BY s.id, cc.depth
), window_ AS (
    -- INV-8: the company's expiry warning window and its today (in its time zone)
    SELECT coalesce(
               (SELECT expiry_warning_days FROM stock_settings WHERE tenant_id = :tenant),
               :default_days) AS days,
           CAST(now() AT TIME ZONE coalesce(
               (SELECT time_zone FROM tenants WHERE id = :tenant), :default_zone) AS date)
               AS today
), expiring AS (
    SELECT bl.sku_id, bl.warehouse_id, sum(bl.on_hand + bl.non_sellable) AS units
    FROM stock_batch_levels bl
    JOIN stock_batches b ON b.tenant_id = bl.tenant_id AND b.id = bl.batch_id
    CROSS JOIN window_ w
    WHERE bl.tenant_id = :tenant AND b.expiry_date <= w.today + w.days
      AND bl.on_hand + bl.non_sellable > 0 {batch_levels}
    GROUP BY bl.sku_id, bl.warehouse_id
), open AS (
    SELECT sku_id, warehouse_id, array_agg(kind) AS kinds
    FROM stock_alerts
    WHERE tenant_id = :tenant AND status = 'open' {open_levels}
    GROUP BY sku_id, warehouse_id
)
SELECT lv.sku_id, lv.warehouse_id, lv.on_hand, lv.available,
       coalesce(st.low, d.low) AS low, coalesce(st.high, d.high) AS high, o.kinds,
       coalesce(e.units, 0) AS expiring, (SELECT days FROM window_) AS expiry_days
FROM lv
LEFT JOIN stock_thresholds st
    ON st.tenant_id = :tenant AND st.sku_id = lv.sku_id AND st.warehouse_id = lv.warehouse_id
LEFT JOIN defaults d ON d.sku_id = lv.sku_id
LEFT JOIN open o ON o.sku_id = lv.sku_id AND o.warehouse_id = lv.warehouse_id
LEFT JOIN expiring e ON e.sku_id = lv.sku_id AND e.warehouse_id = lv.warehouse_id
WHERE st.sku_id IS NOT NULL OR d.sku_id IS NOT NULL OR o.kinds IS NOT NULL
   OR e.units IS NOT NULL
ORDER BY lv.sku_id, lv.warehouse_id
"""
_PAIRS = (
    " AND (sku_id, warehouse_id) IN"
    " (SELECT * FROM unnest(CAST(:skus AS uuid[]), CAST(:warehouses AS uuid[])))"
)
_PAIR_PARAMS = (
    bindparam("skus", type_=ARRAY(Uuid)),
    bindparam("warehouses", type_=ARRAY(Uuid)),
)
# Run at the end of every stock-moving command: on the driver (decision 82).
_WATCH_ALL = DriverStatement(text(_WATCH.format(levels="", open_levels="", batch_levels="")))
_WATCH_SOME = DriverStatement(
    text(
        _WATCH.format(
            levels=_PAIRS,
            open_levels=_PAIRS,
            batch_levels=_PAIRS.replace("(sku_id, warehouse_id)", "(bl.sku_id, bl.warehouse_id)"),
        )
    ).bindparams(*_PAIR_PARAMS)
)


def _watched(row: Record) -> Watched:
    low, high = row["low"], row["high"]
    return Watched(
        row["sku_id"],
        row["warehouse_id"],
        int(row["on_hand"]),
        int(row["available"]),
        Thresholds.in_force(
            int(low) if low is not None else None, int(high) if high is not None else None
        ),
        frozenset(AlertKind(k) for k in row["kinds"] or ()),
        int(row["expiring"]),
        int(row["expiry_days"]),
    )


def _alert(row: AnyRow) -> StockAlert:
    mapping = row._mapping
    return StockAlert(
        row.id,
        row.sku_id,
        row.warehouse_id,
        AlertKind(row.kind),
        AlertStatus(row.status),
        int(row.threshold),
        int(row.quantity),
        row.raised_at,
        row.resolved_at,
        mapping.get("sku_code"),
        mapping.get("warehouse_code"),
    )


def _thresholds(row: AnyRow) -> Thresholds:
    return Thresholds(row.low, row.high)


# The robot's URL: encrypted per tenant, the tenant's id bound in as the row (one a tenant).
ROBOT_URL_FIELD = "inventory.alert_robot.url"
ROBOT_ENTITY = "alert_robot"


class PostgresStockAlertRepository(TenantRepository):
    def __init__(
        self,
        conn: AsyncConnection,
        tenant_id: UUID,
        cipher: FieldCipher,
        unreadable: UnreadableValues,
    ) -> None:
        super().__init__(conn, tenant_id)
        self._cipher = cipher
        self._unreadable = unreadable

    async def watch(self, levels: list[tuple[UUID, UUID]] | None) -> list[Watched]:
        parameters: dict[str, Any] = {
            "tenant": self._tenant_id,
            "default_days": StockSettings().expiry_warning_days,
            "default_zone": DEFAULT_TIME_ZONE,
        }
        if levels is None:
            rows = await _WATCH_ALL.fetch(self._conn, parameters)
        else:
            if not levels:
                return []
            parameters["skus"] = [s for s, _ in levels]
            parameters["warehouses"] = [w for _, w in levels]
            rows = await _WATCH_SOME.fetch(self._conn, parameters)
        return [_watched(row) for row in rows]

    async def raise_alert(self, alert: StockAlert) -> bool:
        statement = (
            pg_insert(stock_alerts)
            .values(
                tenant_id=self._tenant_id,
                id=alert.id,
                sku_id=alert.sku_id,
                warehouse_id=alert.warehouse_id,
                kind=alert.kind.value,
                status=AlertStatus.OPEN.value,
                threshold=alert.threshold,
                quantity=alert.quantity,
                raised_at=alert.raised_at,
            )
            .on_conflict_do_nothing(
                index_elements=["tenant_id", "sku_id", "warehouse_id", "kind"],
                index_where=text("status = 'open'"),
            )
            .returning(stock_alerts.c.id)
        )
        return await self._first(statement) is not None

    async def resolve(
        self, sku_id: UUID, warehouse_id: UUID, kind: AlertKind, at: datetime
    ) -> UUID | None:
        row = await self._first(
            update(stock_alerts)
            .where(
                stock_alerts.c.tenant_id == self._tenant_id,
                stock_alerts.c.sku_id == sku_id,
                stock_alerts.c.warehouse_id == warehouse_id,
                stock_alerts.c.kind == kind.value,
                stock_alerts.c.status == AlertStatus.OPEN.value,
            )
            .values(status=AlertStatus.RESOLVED.value, resolved_at=at)
            .returning(stock_alerts.c.id)
        )
        return row.id if row else None

    async def get(self, alert_id: UUID) -> StockAlert | None:
        rows = await self._select_alerts(and_(stock_alerts.c.id == alert_id), None, 1)
        return rows[0] if rows else None

    async def _select_alerts(
        self, condition: Any, after: AlertPosition | None, limit: int
    ) -> list[StockAlert]:
        # The SKU's code is the catalog's (by name, as the foreign key names it).
        sku_code = text(
            "(SELECT skus.code FROM skus WHERE skus.tenant_id = stock_alerts.tenant_id"
            " AND skus.id = stock_alerts.sku_id) AS sku_code"
        )
        warehouse_code = (
            select(warehouses.c.code)
            .where(
                warehouses.c.tenant_id == stock_alerts.c.tenant_id,
                warehouses.c.id == stock_alerts.c.warehouse_id,
            )
            .scalar_subquery()
            .label("warehouse_code")
        )
        query = select(stock_alerts, warehouse_code, sku_code).where(
            stock_alerts.c.tenant_id == self._tenant_id, condition
        )
        if after is not None:
            query = query.where(
                tuple_(stock_alerts.c.raised_at, stock_alerts.c.id)
                < tuple_(literal(after.raised_at), literal(after.id))
            )
        query = query.order_by(stock_alerts.c.raised_at.desc(), stock_alerts.c.id.desc()).limit(
            limit
        )
        return [_alert(row) for row in await self._conn.execute(query)]

    async def page(
        self,
        status: AlertStatus | None,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: AlertPosition | None,
        limit: int,
    ) -> list[StockAlert]:
        conditions = []
        if status is not None:
            conditions.append(stock_alerts.c.status == status.value)
        if sku_id is not None:
            conditions.append(stock_alerts.c.sku_id == sku_id)
        if warehouse_id is not None:
            conditions.append(stock_alerts.c.warehouse_id == warehouse_id)
        return await self._select_alerts(and_(True, *conditions), after, limit)

    # ---- thresholds --------------------------------------------------------------------
    def _threshold_key(self, sku_id: UUID, warehouse_id: UUID) -> Any:
        return and_(
            stock_thresholds.c.tenant_id == self._tenant_id,
            stock_thresholds.c.sku_id == sku_id,
            stock_thresholds.c.warehouse_id == warehouse_id,
        )

    async def threshold(self, sku_id: UUID, warehouse_id: UUID) -> StockThreshold | None:
        row = await self._first(
            select(stock_thresholds).where(self._threshold_key(sku_id, warehouse_id))
        )
        if row is None:
            return None
        return StockThreshold(
            row.sku_id, row.warehouse_id, _thresholds(row), row.version, row.updated_at
        )

    async def put_threshold(self, threshold: StockThreshold, expected_version: int) -> None:
        key = self._threshold_key(threshold.sku_id, threshold.warehouse_id)
        values = {
            "low": threshold.thresholds.low,
            "high": threshold.thresholds.high,
            "version": threshold.version,
            "updated_at": threshold.updated_at,
        }
        try:
            if expected_version == 0:
                await self._insert(
                    stock_thresholds,
                    {"sku_id": threshold.sku_id, "warehouse_id": threshold.warehouse_id, **values},
                )
                return
            condition = and_(key, stock_thresholds.c.version == expected_version)
            if threshold.thresholds.empty:
                result = await self._conn.execute(delete(stock_thresholds).where(condition))
            else:
                result = await self._conn.execute(
                    update(stock_thresholds).where(condition).values(**values)
                )
        except IntegrityError as error:
            raise_for_constraint(error, _NO_SKU)
        one_updated(result.rowcount, expected_version)

    async def thresholds(
        self,
        sku_id: UUID | None,
        warehouse_id: UUID | None,
        after: LevelPosition | None,
        limit: int,
    ) -> list[StockThreshold]:
        query = select(stock_thresholds).where(stock_thresholds.c.tenant_id == self._tenant_id)
        if sku_id is not None:
            query = query.where(stock_thresholds.c.sku_id == sku_id)
        if warehouse_id is not None:
            query = query.where(stock_thresholds.c.warehouse_id == warehouse_id)
        if after is not None:
            query = query.where(
                tuple_(stock_thresholds.c.sku_id, stock_thresholds.c.warehouse_id)
                > tuple_(literal(after.sku_id), literal(after.warehouse_id))
            )
        query = query.order_by(stock_thresholds.c.sku_id, stock_thresholds.c.warehouse_id)
        return [
            StockThreshold(
                row.sku_id, row.warehouse_id, _thresholds(row), row.version, row.updated_at
            )
            for row in await self._conn.execute(query.limit(limit))
        ]

    async def category_threshold(self, category_id: UUID) -> CategoryThreshold | None:
        row = await self._first(
            select(category_thresholds).where(
                category_thresholds.c.tenant_id == self._tenant_id,
                category_thresholds.c.category_id == category_id,
            )
        )
        if row is None:
            return None
        return CategoryThreshold(row.category_id, _thresholds(row), row.version, row.updated_at)

    async def put_category_threshold(
        self, threshold: CategoryThreshold, expected_version: int
    ) -> None:
        values = {
            "low": threshold.thresholds.low,
            "high": threshold.thresholds.high,
            "version": threshold.version,
            "updated_at": threshold.updated_at,
        }
        condition = and_(
            category_thresholds.c.tenant_id == self._tenant_id,
            category_thresholds.c.category_id == threshold.category_id,
            category_thresholds.c.version == expected_version,
        )
        try:
            if expected_version == 0:
                await self._insert(
                    category_thresholds, {"category_id": threshold.category_id, **values}
                )
                return
            if threshold.thresholds.empty:
                result = await self._conn.execute(delete(category_thresholds).where(condition))
            else:
                result = await self._conn.execute(
                    update(category_thresholds).where(condition).values(**values)
                )
        except IntegrityError as error:
            raise_for_constraint(error, _NO_SKU)
        one_updated(result.rowcount, expected_version)

    async def category_thresholds(self) -> list[CategoryThreshold]:
        rows = await self._conn.execute(
            select(category_thresholds)
            .where(category_thresholds.c.tenant_id == self._tenant_id)
            .order_by(category_thresholds.c.category_id)
        )
        return [
            CategoryThreshold(row.category_id, _thresholds(row), row.version, row.updated_at)
            for row in rows
        ]

    # ---- the robot ---------------------------------------------------------------------
    async def robot(self) -> AlertRobot | None:
        row = await self._first(
            select(alert_robots).where(alert_robots.c.tenant_id == self._tenant_id)
        )
        if row is None:
            return None
        url = await self._unreadable.open(
            self._cipher,
            self._tenant_id,
            ROBOT_ENTITY,
            ROBOT_URL_FIELD,
            self._tenant_id,
            bytes(row.url_enc),
        )
        return AlertRobot(RobotKind(row.kind), url, row.version, row.updated_at)

    async def _sealed(self, url: str | None) -> bytes:
        if url is None:  # guard: a robot is only ever saved with the URL just given
            raise ValueError("a robot is saved with its URL")
        return await self._cipher.encrypt(self._tenant_id, ROBOT_URL_FIELD, self._tenant_id, url)

    async def put_robot(self, robot: AlertRobot | None, expected_version: int) -> None:
        if expected_version == 0:
            if robot is not None:
                await self._insert(
                    alert_robots,
                    {
                        "kind": robot.kind.value,
                        "url_enc": await self._sealed(robot.url),
                        "version": robot.version,
                        "updated_at": robot.updated_at,
                    },
                )
            return
        condition = and_(
            alert_robots.c.tenant_id == self._tenant_id,
            alert_robots.c.version == expected_version,
        )
        if robot is None:
            result = await self._conn.execute(delete(alert_robots).where(condition))
        else:
            result = await self._conn.execute(
                update(alert_robots)
                .where(condition)
                .values(
                    kind=robot.kind.value,
                    url_enc=await self._sealed(robot.url),
                    version=robot.version,
                    updated_at=robot.updated_at,
                )
            )
        one_updated(result.rowcount, expected_version)
