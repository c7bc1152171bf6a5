"""``shopkeeper audit verify``: recompute a tenant's chain and name the first mismatch (PLT-3).

The anchor is read before the database snapshot is taken: an anchor names only digests
that were committed before it was written, so a snapshot taken afterwards holds every
digest the anchor can name, even while the sealer keeps running.

Checks, in order (the first failure is the report):

1. each digest in ``seq`` order: no gap, ``previous_digest`` is the digest before it, its
   value is the hash of the previous digest and of the row hashes it lists, every row it
   names still exists, still sorts in the sealed order, still hashes to the sealed value,
   and has its one seal entry pointing at this digest; the digest the anchor names equals
   the anchor;
2. the anchor names no digest newer than the newest in the database (deleting the newest
   rows together with their digests);
3. no seal entry outside what the digests name;
4. no unsealed row older than the newest digest's last row minus the late-commit
   tolerance (a row inserted after sealing).
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from application.audit.sealing import AnchorUnreadable, AuditAnchorStore, AuditChainStore
from domain.audit.chain import LATE_COMMIT_TOLERANCE
from domain.audit.verification import ChainProblem, ChainReport, ChainVerifier, Finding


class VerifyAuditChain:
    def __init__(
        self,
        chain: AuditChainStore,
        anchors: AuditAnchorStore,
        *,
        tolerance: timedelta = LATE_COMMIT_TOLERANCE,
    ) -> None:
        self._chain = chain
        self._anchors = anchors
        self._tolerance = tolerance

    async def __call__(self, tenant_id: UUID) -> ChainReport:
        try:
            anchor = await self._anchors.read(tenant_id)
        except AnchorUnreadable as error:
            unreadable = ChainProblem(
                Finding.ANCHOR_UNREADABLE, f"the anchor outside the database is unreadable: {error}"
            )
            return ChainVerifier(None, self._tolerance).report(unreadable)
        verifier = ChainVerifier(anchor, self._tolerance)
        async with self._chain.snapshot(tenant_id) as view:
            async for digest in view.digests():
                problem = verifier.check_digest(digest, await view.named_rows(digest))
                if problem is not None:
                    return verifier.report(problem)
            problem = verifier.check_anchor()
            if problem is not None:
                return verifier.report(problem)
            if await view.seal_count() != verifier.rows:
                extra = await view.first_seal_not_named_by_its_digest()
                if extra is not None:
                    return verifier.report(verifier.extra_seal(*extra))
            cutoff = verifier.cutoff()
            if cutoff is not None:
                inserted = await view.first_unsealed_before(cutoff)
                if inserted is not None:
                    return verifier.report(verifier.inserted_row(*inserted))
            pending = await view.unsealed_count()
        return verifier.report(None, pending, verifier.anchor_warnings())
