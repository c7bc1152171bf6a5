"""P1's baselines replay what one HTTP placement sent (issue 13, decision 107): the token
check sent alone before the transaction is kept apart and sent first, the transaction's
statements between its BEGIN and COMMIT. Only the split is tested here: benchmarks are
programs, not tests (bench/README.md)."""

from __future__ import annotations

from uuid import UUID

import pytest
from bench._replay import Replay, Sent

from adapters.system import Uuid7Generator

TOKEN = Sent(
    "SELECT * FROM token_access($1, $2, $3)", (UUID(int=1), UUID(int=2), UUID(int=3)), True
)
BEGIN = Sent("BEGIN", (), prepared=False)
CLAIM = Sent("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))", ("k",), True)
COMMIT = Sent("COMMIT", (), prepared=False)


def test_statements_sent_before_the_transaction_are_kept_apart_and_described_first() -> None:
    replay = Replay.of([TOKEN, BEGIN, CLAIM, COMMIT], set(), Uuid7Generator(), ("k",))
    assert replay.before == (TOKEN,)
    assert replay.statements == [CLAIM]
    assert replay.describe() == [
        "SELECT * FROM token_access($1, $2, $3)",
        "BEGIN",
        "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))",
        "COMMIT",
    ]


def test_a_call_of_one_transaction_has_nothing_before_it() -> None:
    replay = Replay.of([BEGIN, CLAIM, COMMIT], set(), Uuid7Generator())
    assert replay.before == ()
    assert replay.statements == [CLAIM]


@pytest.mark.parametrize(
    ("sent", "says"),
    [([TOKEN, CLAIM, COMMIT], "no BEGIN"), ([TOKEN, BEGIN, CLAIM], "did not end with COMMIT")],
)
def test_a_call_without_its_transaction_is_refused(sent: list[Sent], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        Replay.of(sent, set(), Uuid7Generator())
