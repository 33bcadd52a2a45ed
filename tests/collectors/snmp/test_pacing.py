"""The packet-rate limit, on a clock the test controls (no real waiting, no timing)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable

import pytest

from collectors.snmp.pacing import RateLimiter


class FakeTime:
    """A clock that moves only when the limiter sleeps, by exactly what it asks."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.sleep(0)  # the callers given a token run (and log) first
        self.now += seconds
        await asyncio.sleep(0)


def granted(
    limiter_of: Callable[[FakeTime], RateLimiter],
    callers: Callable[[RateLimiter, FakeTime, list[tuple[str, float]]], Awaitable[None]],
) -> tuple[list[tuple[str, float]], FakeTime]:
    """(name, time) of every token handed out, in order."""
    time = FakeTime()
    log: list[tuple[str, float]] = []
    asyncio.run(callers(limiter_of(time), time, log))
    return log, time


async def take(limiter: RateLimiter, time: FakeTime, log: list[tuple[str, float]], name: str,
               urgent: bool = False) -> None:  # fmt: skip
    await limiter.acquire(urgent)
    log.append((name, time.now))


def test_tokens_are_handed_out_at_the_rate_after_the_burst() -> None:
    async def callers(limiter: RateLimiter, time: FakeTime, log: list[tuple[str, float]]) -> None:
        await asyncio.gather(*(take(limiter, time, log, str(n)) for n in range(25)))

    log, _time = granted(lambda t: RateLimiter(200, burst=5, clock=t.clock, sleep=t.sleep), callers)
    times = [at for _name, at in log]
    assert times[:5] == [0.0] * 5  # the burst goes at once
    gaps = [b - a for a, b in itertools.pairwise(times[4:])]
    assert gaps == pytest.approx([0.005] * 20)  # then one every 1/200 s
    assert [name for name, _at in log] == [str(n) for n in range(25)]  # first come, first served


def test_a_thousand_waiters_cost_one_timer_per_token_not_one_each() -> None:
    async def callers(limiter: RateLimiter, time: FakeTime, log: list[tuple[str, float]]) -> None:
        await asyncio.gather(*(take(limiter, time, log, str(n)) for n in range(1000)))

    log, time = granted(lambda t: RateLimiter(2000, burst=1, clock=t.clock, sleep=t.sleep), callers)
    assert len(log) == 1000
    assert log[-1][1] == pytest.approx(999 / 2000)
    # A limiter where every waiter polls the bucket sleeps about 1000 x 1000 / 2 times.
    assert len(time.sleeps) <= 1000


def test_an_agent_that_answered_does_not_wait_behind_the_first_probes() -> None:
    async def callers(limiter: RateLimiter, time: FakeTime, log: list[tuple[str, float]]) -> None:
        probes = [asyncio.create_task(take(limiter, time, log, f"probe{n}")) for n in range(50)]
        await asyncio.sleep(0)  # the probes are queued
        await take(limiter, time, log, "table", urgent=True)
        await asyncio.gather(*probes)

    log, _time = granted(lambda t: RateLimiter(100, burst=1, clock=t.clock, sleep=t.sleep), callers)
    order = [name for name, _at in log]
    assert order.index("table") <= 2  # next token but one, not after 50 probes
    assert len(order) == 51


def test_a_cancelled_waiter_gives_its_token_to_the_next() -> None:
    async def callers(limiter: RateLimiter, time: FakeTime, log: list[tuple[str, float]]) -> None:
        await limiter.acquire()  # the only token of the burst
        gone = asyncio.create_task(take(limiter, time, log, "gone"))
        kept = asyncio.create_task(take(limiter, time, log, "kept"))
        await asyncio.sleep(0)
        gone.cancel()
        await kept
        assert gone.cancelled()

    log, _time = granted(lambda t: RateLimiter(10, burst=1, clock=t.clock, sleep=t.sleep), callers)
    assert [name for name, _at in log] == ["kept"]
    assert log[0][1] == pytest.approx(0.1)  # the next token, not the one after


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)
