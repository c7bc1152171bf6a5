from __future__ import annotations

from typing import Protocol


class CustomerRepository(Protocol):
    """Owned by the customers slice (CRM-1); see application/customers/."""
