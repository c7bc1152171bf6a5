"""Sends a signed webhook request to a vetted address (CHN-3, SSRF).

Before every attempt the host is resolved (all addresses) and the attempt is refused,
without any connection, if one of them is forbidden (``domain.webhooks.destination``). The
request then goes to the address that was checked — not to the name, which a second DNS
answer could rebind to an internal address — with the original name in the Host header
and as TLS SNI, so virtual hosting and certificate checks work as usual. Redirects are
not followed (a 3xx is a failed attempt), proxies from the environment are not used, the
response body is never read, and the whole attempt (DNS included) has one deadline.

Each attempt uses its own connection: a pool keyed by address could otherwise reuse a TLS
session negotiated for another host name on the same address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import time
from collections.abc import Awaitable, Callable

import httpx

from adapters.tls import default_tls
from domain.shared.errors import ValidationFailed
from domain.webhooks.delivery import REFUSED_DESTINATION, AttemptResult
from domain.webhooks.destination import (
    IPAddress,
    WebhookUrl,
    parse_webhook_url,
    refusal_reason,
)

USER_AGENT = "Shopkeeper-Webhooks/1.0"

Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]


async def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for ``host``, in its order, once each."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class HttpWebhookSender:
    def __init__(
        self,
        *,
        allow_loopback: bool,
        timeout_seconds: float,
        resolver: Resolver | None = None,
        verify: ssl.SSLContext | bool = True,
        user_agent: str = USER_AGENT,
    ) -> None:
        self._allow_loopback = allow_loopback
        self._timeout = timeout_seconds
        self._resolver = resolver
        self._verify = verify
        self._user_agent = user_agent

    async def _resolve(self, host: str, port: int) -> list[IPAddress]:
        # Looked up at call time, so tests can stand in for DNS by patching ``resolve``.
        return await (self._resolver or resolve)(host, port)

    async def send(self, url: str, headers: dict[str, str], body: bytes) -> AttemptResult:
        started = time.perf_counter()

        def outcome(status_code: int | None = None, error: str | None = None) -> AttemptResult:
            return AttemptResult(status_code, error, int((time.perf_counter() - started) * 1000))

        try:
            target = parse_webhook_url(url, allow_loopback=self._allow_loopback)
        except ValidationFailed as invalid:
            reason = invalid.errors[0].params.get("reason")
            if reason:  # a literal address registered before the rule, or with loopback on
                return outcome(error=f"{REFUSED_DESTINATION}:{reason}")
            return outcome(error="invalid_url")
        try:
            async with asyncio.timeout(self._timeout):
                return await self._resolve_and_post(target, headers, body, outcome)
        except TimeoutError:
            return outcome(error="timeout")

    async def _resolve_and_post(
        self,
        target: WebhookUrl,
        headers: dict[str, str],
        body: bytes,
        outcome: Callable[..., AttemptResult],
    ) -> AttemptResult:
        if target.literal is not None:
            addresses = [target.literal]
        else:
            try:
                addresses = await self._resolve(target.host, target.port)
            except OSError:  # socket.gaierror included
                return outcome(error="dns_error")
        if not addresses:
            return outcome(error="dns_error")
        for address in addresses:
            reason = refusal_reason(address, allow_loopback=self._allow_loopback)
            if reason is not None:
                return outcome(error=f"{REFUSED_DESTINATION}:{reason}:{address}")
        error = "connect_error"
        for address in addresses:  # the next vetted address only if this one is unreachable
            try:
                return outcome(await self._post(target, address, headers, body))
            except httpx.ConnectError as failure:
                error = "tls_error" if _caused_by_tls(failure) else "connect_error"
            except httpx.TimeoutException:
                return outcome(error="timeout")
            except httpx.HTTPError as failure:
                return outcome(error="tls_error" if _caused_by_tls(failure) else "protocol_error")
        return outcome(error=error)

    async def _post(
        self, target: WebhookUrl, address: IPAddress, headers: dict[str, str], body: bytes
    ) -> int:
        extensions = {}
        if target.scheme == "https" and target.literal is None:
            extensions["sni_hostname"] = target.host
        async with httpx.AsyncClient(
            verify=default_tls() if self._verify is True else self._verify,
            trust_env=False,
            follow_redirects=False,
            timeout=httpx.Timeout(self._timeout),
        ) as client:
            request = client.build_request(
                "POST",
                target.url_for(address),
                headers={**headers, "host": target.host_header, "user-agent": self._user_agent},
                content=body,
                extensions=extensions,
            )
            response = await client.send(request, stream=True)
            await response.aclose()  # only the status counts; the body is never read
            return response.status_code


def _caused_by_tls(failure: BaseException) -> bool:
    cause: BaseException | None = failure
    for _ in range(10):  # exception chains can loop; a TLS cause is always near the top
        if cause is None:
            return False
        if isinstance(cause, ssl.SSLError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False
