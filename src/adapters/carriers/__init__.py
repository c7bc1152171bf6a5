"""Carrier gateways (LOG-1, LOG-2): the simulated carrier and its client; a real carrier's
gateway is another kind here (``registry.py``)."""
