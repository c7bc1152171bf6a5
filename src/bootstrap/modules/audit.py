"""Audit (PLT-3): queries, sealing into a digest chain, verification."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.postgres.audit.seals import PostgresAuditChainStore
from adapters.storage.anchors import FileAuditAnchorStore
from application.audit.queries import ReadAuditTrailHandler
from application.audit.sealing import AuditSealer
from application.audit.verify import VerifyAuditChain

if TYPE_CHECKING:
    from bootstrap import Container


def register(c: Container) -> None:
    chain = PostgresAuditChainStore(c.platform_engine)
    anchors = FileAuditAnchorStore(c.settings.audit_anchor_dir)
    c.use_cases.register(ReadAuditTrailHandler())
    c.add(
        anchors,
        AuditSealer(chain, anchors),
        VerifyAuditChain(chain, anchors),
    )
