"""Work rolled back for meeting other work is done again (PLT-1, ORD-1): a job's page that
meets ``Contention`` is tried again, up to ``TRIES`` times; other failures are not; the API
answers ``Contention`` with 503, ``Retry-After`` and a message in each language."""

from __future__ import annotations

import pytest

from application.shared import contention
from application.shared.contention import TRIES, retried_on_contention
from domain.shared.errors import Contention
from entrypoints.http.problems import status_of
from entrypoints.messages import message


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    monkeypatch.setattr(contention.asyncio, "sleep", sleep)
    return pauses


async def test_work_that_meets_contention_is_done_again(no_pause: list[float]) -> None:
    calls = []

    async def work() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise Contention()
        return "reviewed"

    assert await retried_on_contention(work) == "reviewed"
    assert len(calls) == 3
    assert len(no_pause) == 2 and 0.05 <= no_pause[0] <= 0.1 and 0.1 <= no_pause[1] <= 0.2


async def test_the_last_tries_contention_is_raised() -> None:
    calls = []

    async def work() -> None:
        calls.append(1)
        raise Contention()

    with pytest.raises(Contention):
        await retried_on_contention(work)
    assert len(calls) == TRIES


async def test_other_failures_are_not_tried_again() -> None:
    calls = []

    async def work() -> None:
        calls.append(1)
        raise ValueError("a bug is not contention")

    with pytest.raises(ValueError):
        await retried_on_contention(work)
    assert len(calls) == 1


def test_the_api_answers_contention_503_with_a_message_in_each_language() -> None:
    assert status_of(Contention()) == 503
    texts = {lang: message("contention", lang, retry_after=1) for lang in ("zh-CN", "zh-TW", "en")}
    assert "1 秒" in texts["zh-CN"] and "1 秒" in texts["zh-TW"] and "1 s" in texts["en"]
    assert len(set(texts.values())) == 3
