"""SSRF (CHN-3): which destinations a webhook may reach, over a literal table of addresses
(no network), and the URL rules applied when an endpoint is registered."""

from __future__ import annotations

import ipaddress

import pytest

from domain.shared.errors import ValidationFailed
from domain.webhooks.destination import parse_webhook_url, refusal_reason

REFUSED = {
    "10.0.0.1": "private",
    "10.255.255.255": "private",
    "172.16.0.1": "private",
    "172.31.255.254": "private",
    "192.168.1.1": "private",
    "127.0.0.1": "loopback",
    "127.1.2.3": "loopback",
    "169.254.169.254": "link_local",  # cloud metadata
    "169.254.0.1": "link_local",
    "0.0.0.0": "unspecified",
    "0.1.2.3": "unspecified",
    "100.64.0.1": "shared_address_space",
    "100.127.255.254": "shared_address_space",
    "192.0.0.8": "reserved",
    "192.0.2.1": "documentation",
    "198.18.0.1": "benchmarking",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "240.0.0.1": "reserved",
    "255.255.255.255": "reserved",
    "::": "unspecified",
    "::1": "loopback",
    "fd00::1": "unique_local",
    "fc00::1": "unique_local",
    "fe80::1": "link_local",
    "fec0::1": "site_local",
    "ff02::1": "multicast",
    "::ffff:10.0.0.1": "ipv4_mapped",
    "::ffff:127.0.0.1": "ipv4_mapped",
    "::ffff:169.254.169.254": "ipv4_mapped",
    "::ffff:8.8.8.8": "ipv4_mapped",  # a public v4 in v6 clothing: no need to guess
    "::10.0.0.1": "ipv4_compatible",
    "64:ff9b::a00:1": "nat64",
    "2002:a00:1::1": "6to4",
    "2001::1": "teredo",
    "2001:db8::1": "documentation",
    "100::1": "discard",
}
ALLOWED = [
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255",  # just below the shared address space
    "172.32.0.1",  # just above 172.16/12
    "2606:2800:220:1:248:1893:25c8:1946",
    "2001:4860:4860::8888",
]


@pytest.mark.parametrize(("address", "reason"), sorted(REFUSED.items()))
def test_internal_addresses_are_refused(address: str, reason: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1"])
def test_the_development_setting_lets_loopback_through(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address), allow_loopback=True) is None


@pytest.mark.parametrize(
    "address", ["10.0.0.1", "169.254.169.254", "fd00::1", "::ffff:127.0.0.1", "0.0.0.0"]
)
def test_the_development_setting_lets_nothing_else_through(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address), allow_loopback=True) is not None


def _code(url: str, **kwargs: bool) -> str:
    with pytest.raises(ValidationFailed) as caught:
        parse_webhook_url(url, **kwargs)
    assert caught.value.errors[0].field == "url"
    return caught.value.errors[0].code


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[fd00::1]:8443/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        # Other spellings of the same hosts (#9, item 10): normalised before the check.
        "https://localhost./hook",
        "https://LocalHost/hook",
        "https://ｌｏｃａｌｈｏｓｔ/hook",
        "https://api.localhost./hook",
        "https://127.0.0.1./hook",
        "https://2130706433/",  # 127.0.0.1 as one number
        "https://0x7f.1/",
        "https://0x7f000001/",
        "https://0177.0.0.1/",  # octal
        "https://127.1/",
        "https://0251.0376.0251.0376/",  # 169.254.169.254 in octal
        "https://169.254.169.254./latest/meta-data/",
        "https://[::1]./hook",
    ],
)
def test_registration_refuses_literal_internal_addresses(url: str) -> None:
    assert _code(url) == "webhook_url_forbidden_address"


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://example.com/hook", "webhook_url_not_https"),
        ("ftp://example.com/hook", "webhook_url_not_https"),
        ("https://user:pw@example.com/hook", "webhook_url_credentials"),
        ("https://example.com/hook#frag", "invalid_webhook_url"),
        ("https:///hook", "invalid_webhook_url"),
        ("https://exa mple.com/", "invalid_webhook_url"),
        ("https://example.com:99999/", "invalid_webhook_url"),
        ("https://1.2.3.4.5/", "invalid_webhook_url"),  # numeric, but no address
        ("https://0x1g.1/", "invalid_webhook_url"),
        ("https://example.com../", "invalid_webhook_url"),
        ("https://10.0.0.1%25eth0/", "invalid_webhook_url"),  # a zone id
        ("https://-bad-.com/", "invalid_webhook_url"),
        ("", "invalid_webhook_url"),
        ("https://example.com/" + "a" * 2000, "invalid_webhook_url"),
    ],
)
def test_registration_refuses_malformed_urls(url: str, code: str) -> None:
    assert _code(url) == code


def test_spellings_are_normalised_to_one_host() -> None:
    assert parse_webhook_url("https://Hooks.Example.COM./in").host == "hooks.example.com"
    assert parse_webhook_url("https://ｅｘａｍｐｌｅ。ｃｏｍ/in").host == "example.com"
    assert parse_webhook_url("https://bücher.example/in").host == "xn--bcher-kva.example"
    numeric = parse_webhook_url("https://134744072/in")  # 8.8.8.8 as one number
    assert (numeric.host, str(numeric.literal)) == ("8.8.8.8", "8.8.8.8")
    reason = pytest.raises(ValidationFailed)
    with reason as refused:
        parse_webhook_url("https://0x7f.1/")
    assert refused.value.errors[0].params == {"reason": "loopback"}


def test_a_public_https_url_is_parsed_for_pinned_delivery() -> None:
    url = parse_webhook_url("https://Hooks.Example.com:8443/in/shop?x=1")
    assert (url.scheme, url.host, url.port, url.target) == (
        "https",
        "hooks.example.com",
        8443,
        "/in/shop?x=1",
    )
    assert url.literal is None
    assert url.host_header == "hooks.example.com:8443"
    assert url.url_for(ipaddress.ip_address("93.184.216.34")) == (
        "https://93.184.216.34:8443/in/shop?x=1"
    )
    assert url.url_for(ipaddress.ip_address("2606:2800::1")).startswith("https://[2606:2800::1]")


def test_international_names_are_accepted_in_their_ascii_form() -> None:
    url = parse_webhook_url("https://例子.中国/hook")
    assert url.host == "xn--fsqu00a.xn--fiqs8s"
    assert url.host_header == url.host


def test_development_allows_http_and_loopback() -> None:
    url = parse_webhook_url("http://127.0.0.1:8081/hook", allow_loopback=True)
    assert url.literal == ipaddress.ip_address("127.0.0.1")
    assert url.host_header == "127.0.0.1:8081"
    assert parse_webhook_url("http://localhost:9000/", allow_loopback=True).host == "localhost"
    assert _code("http://10.0.0.1/", allow_loopback=True) == "webhook_url_forbidden_address"
