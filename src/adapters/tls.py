"""One TLS context a process for outgoing HTTPS with the system's trust store. Building one
loads the CA bundle — about 60 ms of CPU, and 300 ms of wall time on a busy 2-core machine
(measured for issue 13's R4) — so HTTP clients made per call share this one instead of
letting httpx build a context for each."""

from __future__ import annotations

import ssl
from functools import cache

import httpx


@cache
def default_tls() -> ssl.SSLContext:
    return httpx.create_ssl_context()
