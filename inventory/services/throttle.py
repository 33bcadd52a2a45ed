"""Failed logins counted per source and per (account, source), in this process's memory.

The account lock kept in the database (logins.MAX_FAILED_LOGINS) answers a
guesser spread over many sources; this throttle answers one source first, so a
single source can neither lock somebody else's account nor try many accounts.
The window slides: a failure older than `window` no longer counts.

Kept in memory on purpose: it costs no write per attempt, and a restart that
forgets it leaves the database lock in force. Each process keeps its own: run
one process (uvicorn's default) or the limits apply per process.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

PER_ACCOUNT_AND_SOURCE = 5
PER_SOURCE = 20
WINDOW_SECONDS = 15 * 60
MAX_KEYS = 100_000  # memory stays bounded whatever a flood of sources sends
_ANY = "\x00"  # the key of a source's failures on every account (no username has it)


class LoginThrottle:
    """Sliding-window counts of failures; `blocked` says whether to refuse outright."""

    def __init__(
        self,
        per_account_and_source: int = PER_ACCOUNT_AND_SOURCE,
        per_source: int = PER_SOURCE,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_pair = per_account_and_source
        self.per_source = per_source
        self.window = window_seconds
        self.clock = clock
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()  # sync routes run in a thread pool

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        found = self._failures.get(key)
        if found is None:
            return deque()
        while found and found[0] <= now - self.window:
            found.popleft()
        return found

    def blocked(self, source: str, username: str) -> bool:
        """True when this source failed too often, on this account or on all of them."""
        now = self.clock()
        with self._lock:
            return (
                len(self._recent((source, username), now)) >= self.per_pair
                or len(self._recent((source, _ANY), now)) >= self.per_source
            )

    def failed(self, source: str, username: str) -> None:
        """Count one failure against the source and against the (account, source) pair."""
        now = self.clock()
        with self._lock:
            for key in ((source, username), (source, _ANY)):
                times = self._recent(key, now)
                times.append(now)
                self._failures[key] = times
                self._failures.move_to_end(key)
            while len(self._failures) > MAX_KEYS:
                self._failures.popitem(last=False)

    def succeeded(self, source: str, username: str) -> None:
        """A right password clears the pair's count (the source's stays: it may be guessing)."""
        with self._lock:
            self._failures.pop((source, username), None)
