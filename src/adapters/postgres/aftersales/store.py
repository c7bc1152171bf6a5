"""The after-sales module's repositories on one unit of work's connection."""

from __future__ import annotations

from adapters.postgres.aftersales.cases import PostgresCaseRepository
from adapters.postgres.aftersales.figures import PostgresReturnFigures
from adapters.postgres.aftersales.settings import PostgresSettingsRepository
from adapters.postgres.shared.stores import StoreParts
from application.aftersales.ports import AFTERSALES, AftersalesStore

KEY = AFTERSALES


class PostgresAftersalesStore(AftersalesStore):
    def __init__(self, parts: StoreParts) -> None:
        conn, tenant = parts.connection, parts.tenant_id
        self.cases = PostgresCaseRepository(conn, tenant)
        self.settings = PostgresSettingsRepository(conn, tenant)
        self.figures = PostgresReturnFigures(conn, tenant)


def build(parts: StoreParts) -> AftersalesStore:
    return PostgresAftersalesStore(parts)
