"""The packet-rate limit every SNMP datagram of a process goes through.

A token bucket (``per_second`` tokens a second, at most ``burst`` saved up)
hands tokens to waiters in order, urgent waiters first. Each waiter waits on
a future of its own and one pacer task hands the tokens out, so thousands of
waiters cost one timer, not one wake-up each per token.

Urgent is for requests to an agent that has already answered (the rest of a
collection, a retry of it): a sweep of a /16 keeps thousands of first probes
queued for the rate, and an agent's tables must not wait behind all of them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
# A token counts as whole when this close to 1: after sleeping exactly the
# time a token takes, float rounding can leave 0.9999999999999999 of it.
_WHOLE = 1 - 1e-9
Sleep = Callable[[float], Awaitable[None]]


def default_burst(per_second: float) -> int:
    """A fifth of a second's worth of tokens.

    On a loaded machine the event loop can go unscheduled for tens of
    milliseconds; a smaller bucket throws the tokens of that time away and a
    sweep falls below its rate (measured: 1.17x its bound with a twentieth of
    a second, 1.00x with a fifth, at a load average of 5 on 2 cores).
    """
    return max(1, int(per_second / 5))


class RateLimiter:
    """``await acquire()`` before each datagram; the rate holds over any number of callers.

    ``clock`` (seconds, monotonic) and ``sleep`` default to the running
    loop's; tests pass their own to control time.
    """

    def __init__(
        self,
        per_second: float,
        burst: int | None = None,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
    ) -> None:
        if per_second <= 0:
            raise ValueError("the packet rate must be positive")
        self.per_second = per_second
        self.interval = 1.0 / per_second
        self.burst = burst if burst is not None else default_burst(per_second)
        self._clock = clock
        self._sleep = sleep or asyncio.sleep
        self._tokens = float(self.burst)
        self._stamp: float | None = None
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._normal: deque[asyncio.Future[None]] = deque()
        self._pacer: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> int:
        """Callers queued for a token (cancelled ones included until the pacer skips them)."""
        return len(self._urgent) + len(self._normal)

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    def _refill(self) -> None:
        now = self._now()
        if self._stamp is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.per_second)
        self._stamp = now

    async def acquire(self, urgent: bool = False) -> None:
        """Wait for a token; FIFO within each class, urgent callers before the others."""
        self._refill()
        if self._tokens >= _WHOLE and not self.waiting:
            self._tokens -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._urgent if urgent else self._normal).append(future)
        if self._pacer is None or self._pacer.done():
            self._pacer = asyncio.get_running_loop().create_task(self._pace())
        await future  # a cancelled caller leaves a cancelled future; the pacer skips it

    def _next_waiter(self) -> asyncio.Future[None] | None:
        for queue in (self._urgent, self._normal):
            while queue:
                future = queue.popleft()
                if not future.done():
                    return future
        return None

    async def _pace(self) -> None:
        while True:
            self._refill()
            while self._tokens >= _WHOLE:
                waiter = self._next_waiter()
                if waiter is None:
                    return
                self._tokens -= 1
                waiter.set_result(None)
            if not self.waiting:
                return
            await self._sleep((1 - self._tokens) * self.interval)
