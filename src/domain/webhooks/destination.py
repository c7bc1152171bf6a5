"""Where a webhook may be sent (CHN-3, SSRF).

A webhook URL is typed in by a tenant, so it must never become a way to reach the
operator's own network: loopback, private and link-local ranges (169.254.169.254 is the
cloud metadata service), carrier-grade NAT, multicast, reserved and unspecified
addresses, and IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64, 6to4, Teredo),
which could smuggle any of the former past a check that only looks at IPv6 ranges.

The same rule is applied twice: to a literal address when an endpoint is registered, and
to every address the host name resolves to before each delivery attempt (the adapter then
connects to the address it checked, so a second DNS answer cannot rebind it).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from domain.shared.errors import ValidationFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 2000
LOOPBACK = "loopback"

# Checked in order: the first range that holds an address names the reason it is refused.
_REFUSED_RANGES: tuple[tuple[str, ipaddress.IPv4Network | ipaddress.IPv6Network], ...] = tuple(
    (reason, ipaddress.ip_network(network))
    for reason, network in (
        ("unspecified", "0.0.0.0/8"),
        ("private", "10.0.0.0/8"),
        ("shared_address_space", "100.64.0.0/10"),
        (LOOPBACK, "127.0.0.0/8"),
        ("link_local", "169.254.0.0/16"),
        ("private", "172.16.0.0/12"),
        ("reserved", "192.0.0.0/24"),
        ("documentation", "192.0.2.0/24"),
        ("private", "192.168.0.0/16"),
        ("benchmarking", "198.18.0.0/15"),
        ("documentation", "198.51.100.0/24"),
        ("documentation", "203.0.113.0/24"),
        ("multicast", "224.0.0.0/4"),
        ("reserved", "240.0.0.0/4"),
        ("unspecified", "::/128"),
        (LOOPBACK, "::1/128"),
        ("ipv4_compatible", "::/96"),
        ("ipv4_mapped", "::ffff:0:0/96"),
        ("nat64", "64:ff9b::/96"),
        ("nat64", "64:ff9b:1::/48"),
        ("discard", "100::/64"),
        ("teredo", "2001::/32"),
        ("documentation", "2001:db8::/32"),
        ("6to4", "2002::/16"),
        ("unique_local", "fc00::/7"),
        ("link_local", "fe80::/10"),
        ("site_local", "fec0::/10"),
        ("multicast", "ff00::/8"),
    )
)

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def refusal_reason(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why a webhook may not be sent to ``address``; None when it may.

    ``allow_loopback`` (a development setting) lets loopback through and nothing else.
    """
    for reason, network in _REFUSED_RANGES:
        if address.version == network.version and address in network:
            if reason == LOOPBACK and allow_loopback:
                return None
            return reason
    if not address.is_global:
        return "not_global"  # whatever else the standard library knows is not routable
    return None


@dataclass(frozen=True)
class WebhookUrl:
    """A parsed, checked webhook URL, and how to reach one of its vetted addresses."""

    scheme: str
    host: str  # ASCII (IDNA), lower case; an IPv6 literal without brackets
    port: int
    target: str  # path and query, at least "/"
    literal: IPAddress | None  # the host when it is an address rather than a name

    @property
    def default_port(self) -> bool:
        return self.port == (443 if self.scheme == "https" else 80)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.default_port else f"{host}:{self.port}"

    def url_for(self, address: IPAddress) -> str:
        """The same URL aimed at ``address`` (the Host header and SNI keep the name)."""
        host = f"[{address}]" if address.version == 6 else str(address)
        return f"{self.scheme}://{host}:{self.port}{self.target}"


def _invalid(code: str = "invalid_webhook_url", **params: object) -> ValidationFailed:
    return ValidationFailed.single("url", code, **params)


def _ascii_host(hostname: str) -> str:
    """The name in ASCII, lower case: IDNA (the standard library's codec, whose nameprep
    maps full-width and other compatibility forms — ``ｌｏｃａｌｈｏｓｔ`` is ``localhost`` — and
    reads the ideographic full stops as dots)."""
    try:
        host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise _invalid() from None
    labels = host.split(".")
    if not all(_LABEL.match(label) for label in labels) or len(host) > 253:
        raise _invalid()
    return host


def _ipv4_number(part: str) -> int | None:
    """One part of a legacy IPv4 spelling, as ``inet_aton`` reads it: ``0x`` hexadecimal,
    a leading ``0`` octal, otherwise decimal."""
    try:
        if part.startswith("0x"):
            return int(part[2:] or "0", 16)
        if part.startswith("0") and len(part) > 1:
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address a name spells in the forms resolvers and URL parsers still accept —
    ``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1`` are all 127.0.0.1 — or None when it
    is no such spelling. The last part fills the bytes the earlier ones leave."""
    parts = host.split(".")
    numbers = [_ipv4_number(part) for part in parts]
    if not 1 <= len(parts) <= 4 or any(n is None for n in numbers):
        return None
    *leading, last = [n for n in numbers if n is not None]
    if any(n > 255 for n in leading) or last >= 256 ** (4 - len(leading)):
        return None
    value = last
    for i, n in enumerate(leading):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def normalise_host(hostname: str) -> tuple[str, IPAddress | None]:
    """The host as one spelling, before any check: without the trailing dot of a fully
    qualified name (``localhost.`` is ``localhost``), in ASCII and lower case, and an
    address however it is written (IPv6 literals, legacy IPv4 spellings). Returns the
    host and, when it is an address, the address."""
    if "%" in hostname:
        raise _invalid()  # a zone id only means something on a link-local address
    name = hostname[:-1] if hostname.endswith(".") else hostname
    address: IPAddress | None
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        host = _ascii_host(name)
        address = legacy_ipv4(host)
        if address is None:
            # A numeric last label is no DNS name (no top-level domain is numeric).
            last = host.rsplit(".", 1)[-1]
            if last.isdigit() or last.startswith("0x"):
                raise _invalid() from None
            return host, None
    return str(address), address


def _checked_host(hostname: str, allow_loopback: bool) -> tuple[str, IPAddress | None]:
    """The normalised host and, for an address, the address — refused if forbidden."""
    host, literal = normalise_host(hostname)
    if literal is None:
        if (host == "localhost" or host.endswith(".localhost")) and not allow_loopback:
            raise _invalid("webhook_url_forbidden_address", reason=LOOPBACK)
        return host, None
    reason = refusal_reason(literal, allow_loopback=allow_loopback)
    if reason is not None:
        raise _invalid("webhook_url_forbidden_address", reason=reason)
    return host, literal


def parse_webhook_url(url: str, *, allow_loopback: bool = False) -> WebhookUrl:
    """Check a webhook URL as typed: https (http only where loopback is allowed, i.e. in
    development), no credentials, no fragment, and no forbidden literal address."""
    if not url or len(url) > MAX_URL_LENGTH or any(c.isspace() or ord(c) < 32 for c in url):
        raise _invalid()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _invalid() from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise _invalid("webhook_url_not_https")
    if scheme == "http" and not allow_loopback:
        raise _invalid("webhook_url_not_https")
    if parts.username is not None or parts.password is not None:
        raise _invalid("webhook_url_credentials")
    if parts.fragment or not parts.hostname:
        raise _invalid()
    host, literal = _checked_host(parts.hostname, allow_loopback)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return WebhookUrl(scheme, host, port or (443 if scheme == "https" else 80), target, literal)
