"""The hashing processes stop with the container (no pool left behind at shutdown)."""

from __future__ import annotations

from adapters.crypto.passwords import Argon2PasswordHasher


async def test_closing_stops_the_hashing_processes() -> None:
    hasher = Argon2PasswordHasher("fast-insecure-test")
    digest = await hasher.hash("correct horse battery staple")
    assert await hasher.verify(digest, "correct horse battery staple")
    processes = list(hasher._executor()._processes.values())
    assert processes and all(p.is_alive() for p in processes)
    hasher.close()
    assert not any(p.is_alive() for p in processes)
    hasher.close()  # a second close does nothing
