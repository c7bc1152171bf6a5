"""What the simulated outside services share (the marketplace, the carrier): faults a
real one shows — a rate limit answered 429 with ``Retry-After``, random 503s, forced
answers — and the retrying HTTP client their adapters call them with."""
