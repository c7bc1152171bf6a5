"""A local stand-in for the WeChat Work (企业微信) and DingTalk group robot webhooks, with
their wire behaviour: a JSON POST to ``/cgi-bin/webhook/send?key=KEY`` (WeChat Work) or
``/robot/send?access_token=TOKEN`` (DingTalk), ``msgtype`` ``text`` or ``markdown`` with
the fields each requires, and an HTTP 200 answer carrying ``{"errcode": …, "errmsg": …}``:
0 when taken; a wrong key or token, a malformed message or too many messages in a minute
(``limit_per_minute``, 20 like the real robots) each with the code the real service uses.
Runs on 127.0.0.1 in a thread; keeps what it accepted."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

WECOM_PATH = "/cgi-bin/webhook/send"
DINGTALK_PATH = "/robot/send"


@dataclass
class RobotServer:
    key: str = "test-robot-key"
    limit_per_minute: int = 20
    accepted: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (kind, body)
    _sent: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    def wecom_url(self, key: str | None = None) -> str:
        return f"http://127.0.0.1:{self.port}{WECOM_PATH}?key={key or self.key}"

    def dingtalk_url(self, token: str | None = None) -> str:
        return f"http://127.0.0.1:{self.port}{DINGTALK_PATH}?access_token={token or self.key}"

    def answer(self, path: str, query: dict[str, list[str]], raw: bytes) -> dict[str, Any]:
        wecom = path == WECOM_PATH
        if path not in (WECOM_PATH, DINGTALK_PATH):
            return {"errcode": 404, "errmsg": "not found"}
        given = (query.get("key") if wecom else query.get("access_token")) or [""]
        if given[0] != self.key:
            return (
                {"errcode": 93000, "errmsg": "invalid webhook url"}
                if wecom
                else {"errcode": 300001, "errmsg": "token is not exist"}
            )
        try:
            body = json.loads(raw)
        except ValueError:
            return {"errcode": 40001 if wecom else 43004, "errmsg": "invalid json"}
        msgtype = body.get("msgtype") if isinstance(body, dict) else None
        part = body.get(msgtype) if isinstance(msgtype, str) else None
        if msgtype == "text":
            ok = isinstance(part, dict) and isinstance(part.get("content"), str)
        elif msgtype == "markdown":
            needed = ("content",) if wecom else ("title", "text")
            ok = isinstance(part, dict) and all(isinstance(part.get(k), str) for k in needed)
        else:
            ok = False
        if not ok:
            return (
                {"errcode": 40008, "errmsg": "invalid message type"}
                if wecom
                else {"errcode": 40035, "errmsg": "缺少参数 json"}
            )
        with self._lock:
            now = time.monotonic()
            self._sent = [t for t in self._sent if now - t < 60]
            if len(self._sent) >= self.limit_per_minute:
                return (
                    {"errcode": 45009, "errmsg": "api freq out of limit"}
                    if wecom
                    else {"errcode": 130101, "errmsg": "send too fast"}
                )
            self._sent.append(now)
            self.accepted.append(("wecom" if wecom else "dingtalk", body))
        return {"errcode": 0, "errmsg": "ok"}


@contextmanager
def robot_server(**options: Any) -> Iterator[RobotServer]:
    state = RobotServer(**options)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("content-length", "0")))
            reply = json.dumps(state.answer(parts.path, parse_qs(parts.query), raw)).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
