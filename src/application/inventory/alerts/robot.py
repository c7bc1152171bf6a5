"""The company's alert robot (INV-3): a WeChat Work (企业微信) or DingTalk group robot
webhook that receives every alert. Saved with If-Match (none yet is version 0); a kind
of None removes it. The URL carries the robot's key: it is shown masked."""

from __future__ import annotations

from dataclasses import dataclass

from application.inventory.common import store_of
from application.shared.use_case import Command, Query, Reading, Work
from application.shared.versions import check_version
from domain.inventory.alerts import AlertRobot, RobotKind, check_robot_url
from domain.inventory.permissions import INVENTORY_READ, INVENTORY_WRITE
from domain.shared.errors import ValidationFailed

ENTITY = "alert_robot"


@dataclass(frozen=True)
class RobotView:
    robot: AlertRobot | None
    version: int

    @property
    def masked_url(self) -> str | None:
        """Without its query (the key); None without a robot or when it does not decrypt."""
        if self.robot is None or self.robot.url is None:
            return None
        base, _, query = self.robot.url.partition("?")
        return f"{base}?…" if query else base


class SetAlertRobot(Command[RobotView], action="alert_robot.update", permission=INVENTORY_WRITE):
    kind: RobotKind | None  # None: remove the robot
    url: str | None
    expected_version: int | None


class SetAlertRobotHandler:
    async def handle(self, command: SetAlertRobot, work: Work) -> RobotView:
        store = store_of(work.uow).alerts
        current = await store.robot()
        version = current.version if current else 0
        check_version(command.expected_version, version)
        if command.kind is None:
            if current is None:
                return RobotView(None, 0)
            await store.put_robot(None, version)
            work.audit(None, {"kind": current.kind.value}, {})
            return RobotView(None, 0)
        if not command.url:
            raise ValidationFailed.single("url", "required")
        robot = AlertRobot(
            command.kind, check_robot_url(command.url), version + 1, work.clock.now()
        )
        if current is not None and (current.kind, current.url) == (robot.kind, robot.url):
            return RobotView(current, current.version)
        await store.put_robot(robot, version)
        # The URL holds the robot's key: the audit names the kind only.
        work.audit(
            None, {"kind": current.kind.value if current else None}, {"kind": robot.kind.value}
        )
        return RobotView(robot, robot.version)


class GetAlertRobot(Query[RobotView], entity=ENTITY, permission=INVENTORY_READ):
    pass


class GetAlertRobotHandler:
    async def handle(self, query: GetAlertRobot, reading: Reading) -> RobotView:
        robot = await store_of(reading.uow).alerts.robot()
        return RobotView(robot, robot.version if robot else 0)
