"""Back-off for hosts that keep failing: pure rules, no I/O.

A host that failed the last few times it was tried is skipped until a wait
that doubles with each further failure has passed, so a broken or hostile
host does not cost every poll its deadlines. One success resets it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_FAILURES = 3  # tried every time until this many failures in a row
BASE_WAIT = timedelta(hours=1)
MAX_WAIT = timedelta(days=7)


@dataclass(frozen=True)
class Attempt:
    at: datetime
    failed: bool


def failures_in_a_row(attempts: Iterable[Attempt]) -> tuple[int, datetime | None]:
    """Consecutive failures counting back from the newest attempt, and its time."""
    count, newest = 0, None
    for attempt in sorted(attempts, key=lambda a: a.at, reverse=True):
        newest = newest or attempt.at
        if not attempt.failed:
            break
        count += 1
    return count, newest


def wait_after(failures: int) -> timedelta:
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES, 16)  # 2**16 hours is past the cap already
    wait: timedelta = BASE_WAIT * (1 << doublings)
    return min(MAX_WAIT, wait)


def due_at(attempts: Iterable[Attempt]) -> datetime | None:
    """When the host may be tried again (None: no failure to wait out)."""
    failures, newest = failures_in_a_row(attempts)
    return None if newest is None else newest + wait_after(failures)


def due(attempts: Iterable[Attempt], now: datetime) -> bool:
    """Whether to try the host in a scan starting `now`."""
    failures, newest = failures_in_a_row(attempts)
    return newest is None or now - newest >= wait_after(failures)
