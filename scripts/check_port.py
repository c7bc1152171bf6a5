#!/usr/bin/env python3
"""Is the API's address free — and the simulated carrier's? `make run` asks before it
starts anything.

    python3 scripts/check_port.py HOST PORT
    python3 scripts/check_port.py --carrier URL     (SHOPKEEPER_DEMO_CARRIER_URL's address)
    python3 scripts/check_port.py --port-of URL     (prints the URL's port)

Exit 0 when PORT on HOST can be bound the way the API server binds it (SO_REUSEADDR, as
uvicorn does: a socket left in TIME_WAIT does not count as taken); otherwise exit 1 and
say who to stop or which port to use instead. Standard library only: it runs before the
project's environment exists.
"""

from __future__ import annotations

import socket
import sys
from urllib.parse import urlsplit

ALTERNATIVES = 20  # how many ports after PORT are tried for a suggestion


def bindable(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def port_of(url: str) -> int:
    return urlsplit(url).port or 80


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--port-of":
        print(port_of(argv[2]))
        return 0
    variable, hint_of = "SHOPKEEPER_PORT", str
    if len(argv) == 3 and argv[1] == "--carrier":
        url = urlsplit(argv[2])
        argv = [argv[0], url.hostname or "127.0.0.1", str(port_of(argv[2]))]
        variable = "SHOPKEEPER_DEMO_CARRIER_URL"
        hint_of = lambda p: f"{url.scheme}://{url.hostname}:{p}"  # noqa: E731
    if len(argv) != 3 or not argv[2].isdigit():
        print("usage: check_port.py HOST PORT | --carrier URL | --port-of URL", file=sys.stderr)
        return 2
    host, port = argv[1], int(argv[2])
    if bindable(host, port):
        return 0
    free = next(
        (p for p in range(port + 1, min(port + 1 + ALTERNATIVES, 65536)) if bindable(host, p)),
        None,
    )
    print(
        f"Port {port} on {host} is already in use (another Shopkeeper, or another server);"
        " nothing was started.",
        file=sys.stderr,
    )
    chosen = hint_of(free) if free else hint_of("<a free port>")
    hint = f"{variable}={chosen} make run"
    print(f"Stop what listens there, or choose another port: {hint}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
