"""Stock alerts to a WeChat Work (企业微信) or DingTalk group robot (INV-3), against a
local simulator with the robots' wire behaviour (tests/support/robot_server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
import pytest

from adapters.robots.sender import HttpAlertRobotSender
from application.inventory.alerts.delivery import AlertDelivery
from application.inventory.alerts.queries import ListStockAlerts
from application.inventory.alerts.robot import GetAlertRobot, SetAlertRobot
from application.inventory.alerts.thresholds import SetStockThreshold
from application.inventory.ports import RobotMessage, RobotRefused
from application.inventory.stock.movements import ReceiveStock
from domain.inventory.alerts import RobotKind
from domain.shared.errors import ValidationFailed
from tests.conftest import TenantHandle
from tests.integration.inventory.conftest import MakeSkus, caller, open_warehouse
from tests.support.databases import TestDatabase
from tests.support.robot_server import RobotServer, robot_server

MESSAGE = RobotMessage("库存预警", "### 库存预警\n\n仓库 BJ-01 中 SKU A-1 的可用库存为 3")


@pytest.fixture
def robots() -> Iterator[RobotServer]:
    with robot_server() as server:
        yield server


LOCAL = HttpAlertRobotSender(allowed_hosts={"127.0.0.1"})


async def test_both_robots_take_a_markdown_message(robots: RobotServer) -> None:
    await LOCAL.send(RobotKind.WECOM, robots.wecom_url(), MESSAGE)
    await LOCAL.send(RobotKind.DINGTALK, robots.dingtalk_url(), MESSAGE)
    (wecom, sent_wecom), (dingtalk, sent_dingtalk) = robots.accepted
    assert (wecom, dingtalk) == ("wecom", "dingtalk")
    assert sent_wecom == {"msgtype": "markdown", "markdown": {"content": MESSAGE.text}}
    assert sent_dingtalk == {
        "msgtype": "markdown",
        "markdown": {"title": MESSAGE.title, "text": MESSAGE.text},
    }


async def test_a_refusal_carries_the_robots_errcode(robots: RobotServer) -> None:
    with pytest.raises(RobotRefused) as wrong_key:
        await LOCAL.send(RobotKind.WECOM, robots.wecom_url("not-the-key"), MESSAGE)
    assert (wrong_key.value.errcode, wrong_key.value.errmsg) == (93000, "invalid webhook url")
    with pytest.raises(RobotRefused) as wrong_token:
        await LOCAL.send(RobotKind.DINGTALK, robots.dingtalk_url("nope"), MESSAGE)
    assert wrong_token.value.errcode == 300001
    assert robots.accepted == []


async def test_the_rate_limit_is_a_refusal(robots: RobotServer) -> None:
    robots.limit_per_minute = 2
    await LOCAL.send(RobotKind.WECOM, robots.wecom_url(), MESSAGE)
    await LOCAL.send(RobotKind.WECOM, robots.wecom_url(), MESSAGE)
    with pytest.raises(RobotRefused) as limited:
        await LOCAL.send(RobotKind.WECOM, robots.wecom_url(), MESSAGE)
    assert limited.value.errcode == 45009


async def test_only_the_robots_hosts_are_reached(robots: RobotServer) -> None:
    """The production sender talks to the official hosts only: a stored URL pointing at
    anything else (here, the simulator on 127.0.0.1) is refused without a request."""
    with pytest.raises(RobotRefused, match="not a robot host"):
        await HttpAlertRobotSender().send(RobotKind.WECOM, robots.wecom_url(), MESSAGE)
    assert robots.accepted == []


async def test_an_alert_reaches_the_companys_robot_in_its_language(
    tenant: TenantHandle, make_skus: MakeSkus, robots: RobotServer, database: TestDatabase
) -> None:
    (sku,) = await make_skus(tenant, 1)
    main = await open_warehouse(tenant, "BOT")
    c, ctx = tenant.container, caller(tenant)
    with pytest.raises(ValidationFailed):
        await c.use_cases.run(ctx, SetAlertRobot(RobotKind.DINGTALK, "ftp://robot", 0))
    view = await c.use_cases.run(ctx, SetAlertRobot(RobotKind.DINGTALK, robots.dingtalk_url(), 0))
    assert view.version == 1 and view.masked_url is not None and robots.key not in view.masked_url
    assert (await c.use_cases.query(ctx, GetAlertRobot())).robot is not None
    # Stored encrypted, like a webhook secret: the key is not in the row.
    conn = await asyncpg.connect(database.owner_url)
    try:
        stored = await conn.fetchval(
            "SELECT url_enc FROM alert_robots WHERE tenant_id = $1", tenant.id
        )
    finally:
        await conn.close()
    assert robots.key.encode() not in bytes(stored) and b"127.0.0.1" not in bytes(stored)
    await c.use_cases.run(ctx, SetStockThreshold(sku, main, 5, None, 0))
    await c.use_cases.run(ctx, ReceiveStock(sku, main, 2))
    [alert] = (await c.use_cases.query(ctx, ListStockAlerts())).items

    delivery = AlertDelivery(c.uow_factory, c.notifier, c.templates, LOCAL)
    async with c.uow_factory.for_tenant(ctx) as uow:
        assert await delivery.notify(uow, alert.id) is True  # a robot is set: the task follows
        await uow.commit()
    assert await delivery.send_to_robot(ctx, alert.id) is True
    [(kind, body)] = robots.accepted
    assert kind == "dingtalk" and body["markdown"]["title"].startswith("库存预警")
    assert alert.sku_code in body["markdown"]["text"] and "BOT" in body["markdown"]["text"]

    await c.use_cases.run(ctx, SetAlertRobot(None, None, 1))  # removed: nothing more is sent
    assert await delivery.send_to_robot(ctx, alert.id) is False
    assert len(robots.accepted) == 1
