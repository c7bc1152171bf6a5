#!/usr/bin/env python3
"""Is the API's address free? `make run` asks before it starts anything.

    python3 scripts/check_port.py HOST PORT

Exit 0 when PORT on HOST can be bound the way the API server binds it (SO_REUSEADDR, as
uvicorn does: a socket left in TIME_WAIT does not count as taken); otherwise exit 1 and
say who to stop or which port to use instead. Standard library only: it runs before the
project's environment exists.
"""

from __future__ import annotations

import socket
import sys

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


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not argv[2].isdigit():
        print("usage: check_port.py HOST PORT", file=sys.stderr)
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
    hint = f"SHOPKEEPER_PORT={free} make run" if free else "SHOPKEEPER_PORT=<a free port> make run"
    print(f"Stop what listens there, or choose another port: {hint}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
