"""A host that keeps failing is tried less and less often; one success resets it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from collectors.backoff import Attempt, due, failures_in_a_row, wait_after

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def ago(hours: float, failed: bool = True) -> Attempt:
    return Attempt(NOW - timedelta(hours=hours), failed)


def test_the_first_failures_are_free() -> None:
    assert due([ago(0.1), ago(1)], NOW)
    assert wait_after(2) == timedelta(0)


def test_the_wait_doubles_and_is_capped() -> None:
    assert [wait_after(n) for n in (3, 4, 5)] == [timedelta(hours=h) for h in (1, 2, 4)]
    assert wait_after(40) == timedelta(days=7)


def test_a_host_failing_in_a_row_waits() -> None:
    attempts = [ago(0.5), ago(2), ago(4), ago(8)]  # four failures, the last half an hour ago
    assert failures_in_a_row(attempts) == (4, NOW - timedelta(hours=0.5))
    assert not due(attempts, NOW)
    assert due(attempts, NOW + timedelta(hours=2))


def test_one_success_resets_the_count() -> None:
    attempts = [ago(0.5, failed=False), ago(2), ago(4), ago(8)]
    assert failures_in_a_row(attempts)[0] == 0
    assert due(attempts, NOW)


def test_a_host_never_tried_is_due() -> None:
    assert due([], NOW)
