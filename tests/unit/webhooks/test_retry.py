"""Exponential backoff with full jitter (CHN-3): every delay stays within its bounds, the
bound grows with each attempt up to the cap, and the budget ends at max attempts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.webhooks.retry import RetryPolicy

draws = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)
attempts = st.integers(min_value=1, max_value=10_000)


@given(attempt=attempts, draw=draws)
def test_every_delay_is_within_the_floor_and_the_ceiling(attempt: int, draw: float) -> None:
    policy = RetryPolicy(max_attempts=8, base_seconds=5, cap_seconds=3600)
    delay = policy.delay(attempt, draw)
    assert policy.floor_seconds <= delay <= policy.ceiling(attempt) <= policy.cap_seconds


@given(attempt=attempts)
def test_the_ceiling_doubles_until_the_cap(attempt: int) -> None:
    policy = RetryPolicy(max_attempts=8, base_seconds=5, cap_seconds=3600)
    assert policy.ceiling(attempt + 1) >= policy.ceiling(attempt)
    assert policy.ceiling(attempt + 1) == min(3600, 2 * policy.ceiling(attempt))


@given(attempt=attempts, draw=draws)
def test_a_later_attempt_with_the_same_draw_never_waits_less(attempt: int, draw: float) -> None:
    policy = RetryPolicy(max_attempts=8)
    assert policy.delay(attempt + 1, draw) >= policy.delay(attempt, draw)


def test_the_expected_wait_grows() -> None:
    policy = RetryPolicy(max_attempts=8, base_seconds=5, cap_seconds=3600)
    grid = [i / 1000 for i in range(1000)]
    means = [sum(policy.delay(n, d) for d in grid) / len(grid) for n in range(1, 12)]
    assert means == sorted(means)
    assert means[0] < 3.5 and means[-1] > 1700  # about base/2 first, cap/2 at the end


def test_the_budget_ends_at_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=3)
    assert [policy.exhausted(n) for n in (1, 2, 3, 4)] == [False, False, True, True]


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=3, base_seconds=10, cap_seconds=5)
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=3).delay(1, 1.0)
