"""On Citus the service refuses to start unless SET LOCAL reaches the worker nodes (#8)."""

from __future__ import annotations

import pytest

from adapters.postgres.shared.engine import DistributionMisconfigured, require_tenant_propagation
from adapters.postgres.shared.unit_of_work import set_tenant_statement


def test_plain_postgres_needs_nothing() -> None:
    require_tenant_propagation(False, None)


def test_citus_with_local_propagation_starts() -> None:
    require_tenant_propagation(True, "local")


@pytest.mark.parametrize("setting", [None, "none", "all", ""])
def test_citus_without_local_propagation_is_refused(setting: str | None) -> None:
    with pytest.raises(DistributionMisconfigured, match="propagate_set_commands"):
        require_tenant_propagation(True, setting)


def test_the_tenant_is_set_with_set_local_as_a_quoted_canonical_uuid() -> None:
    tenant = "0190A7C4-1234-7ABC-8DEF-0123456789AB"
    assert set_tenant_statement(tenant) == (
        "SET LOCAL app.tenant_id = '0190a7c4-1234-7abc-8def-0123456789ab'"
    )
    assert set_tenant_statement("") == "SET LOCAL app.tenant_id = ''"


@pytest.mark.parametrize("bad", ["x'; RESET ROLE; --", "not-a-uuid", "1"])
def test_anything_but_a_uuid_never_reaches_the_sql(bad: str) -> None:
    with pytest.raises(ValueError):  # a programming error: tenant ids are UUIDs by type
        set_tenant_statement(bad)
