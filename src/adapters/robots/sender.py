"""WeChat Work (企业微信) and DingTalk group robot webhooks (INV-3), behind
``AlertRobotSender``.

Both take a JSON POST and answer 200 with ``{"errcode": 0, "errmsg": "ok"}``; anything
else (a non-2xx status, an ``errcode`` other than 0, a body that is not that JSON) is
``RobotRefused``. The message is Markdown:

- WeChat Work: ``{"msgtype": "markdown", "markdown": {"content": TEXT}}``
- DingTalk: ``{"msgtype": "markdown", "markdown": {"title": TITLE, "text": TEXT}}``

Only the robots' own hosts are reached (``allowed_hosts``; a test passes its local
simulator's), so a stored URL cannot make the worker call anywhere else. DingTalk's
optional signing secret (``timestamp`` and ``sign`` parameters) is not supported yet: a
robot needs its keyword or IP rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx

from application.inventory.ports import RobotMessage, RobotRefused
from domain.inventory.alerts import RobotKind

OFFICIAL_HOSTS = frozenset({"qyapi.weixin.qq.com", "oapi.dingtalk.com"})
TIMEOUT_SECONDS = 10.0


def robot_body(kind: RobotKind, message: RobotMessage) -> dict[str, object]:
    if kind is RobotKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": message.text}}
    return {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.text}}


class HttpAlertRobotSender:
    def __init__(
        self,
        allowed_hosts: Iterable[str] = OFFICIAL_HOSTS,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._allowed = frozenset(allowed_hosts)
        self._transport = transport

    async def send(self, kind: RobotKind, url: str, message: RobotMessage) -> None:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host not in self._allowed:
            raise RobotRefused(None, f"host {host!r} is not a robot host")
        if host in OFFICIAL_HOSTS and parts.scheme != "https":
            raise RobotRefused(None, "the robot's URL must use https")
        async with httpx.AsyncClient(
            timeout=TIMEOUT_SECONDS, transport=self._transport, follow_redirects=False
        ) as client:
            try:
                answer = await client.post(url, json=robot_body(kind, message))
            except httpx.HTTPError as error:
                raise RobotRefused(None, type(error).__name__) from error
        if not 200 <= answer.status_code < 300:
            raise RobotRefused(None, f"HTTP {answer.status_code}")
        try:
            reply = answer.json()
        except (ValueError, json.JSONDecodeError):
            raise RobotRefused(None, "not a JSON answer") from None
        errcode = reply.get("errcode") if isinstance(reply, dict) else None
        if errcode != 0:
            errmsg = str(reply.get("errmsg", "")) if isinstance(reply, dict) else ""
            raise RobotRefused(errcode if isinstance(errcode, int) else None, errmsg[:200])
