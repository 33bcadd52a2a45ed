"""Running a plan: each pass's collector in order, results merged in batches as they come.

The sweep runs on an event loop; merges run in order on one writer thread,
each batch in its own transaction with the scan as the actor, so the loop
keeps reading datagrams while the database writes and a crash mid-scan
loses nothing already merged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from collectors.observation import TargetResult
from collectors.registry import Seen
from inventory.db.engine import session_scope
from inventory.domain.choices import ScanStatus
from inventory.models import Scan
from inventory.models.base import pk
from inventory.services.context import Actor
from inventory.services.discovery.merge import flag_stale, merge_results
from inventory.services.discovery.outcome import ScanOutcome, ScanProgress, finish_scan, start_scan
from inventory.services.discovery.plan import ScanPlan

BATCH = 200  # results merged per transaction
log = logging.getLogger(__name__)
Progress = Callable[[ScanProgress], None]


class _Batches:
    """Collects results, hands each full batch to the writer thread, totals the outcome."""

    def __init__(self, engine: sa.Engine, scan_id: int, total: ScanOutcome) -> None:
        self.engine, self.scan_id, self.total = engine, scan_id, total
        self.pending: list[TargetResult] = []
        # Results a later pass may also see (an SNMP answer before the SSH pass),
        # by address: merged in the same batch as that pass's result for the
        # address, so the two land on one asset (merge.combine_by_address).
        self.held: dict[str, TargetResult] = {}
        self.merges: list[asyncio.Future[None]] = []
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="merge")

    def add(self, result: TargetResult, hold: bool = False) -> None:
        """Queue a result; `hold` keeps an observation back for a later pass's result."""
        address = result.target.address
        if hold and result.observation is not None:
            self.held[address] = result
            return
        earlier = self.held.pop(address, None)
        self.pending.extend([earlier, result] if earlier is not None else [result])
        if len(self.pending) >= BATCH:
            self.flush()

    def release(self) -> None:
        """The held results no later pass answered for, merged on their own."""
        self.pending.extend(self.held.values())
        self.held.clear()

    def flush(self) -> None:
        """Send what is pending; each batch holds one pass's results (the upsert's source)."""
        if self.pending:
            loop = asyncio.get_running_loop()
            self.merges.append(loop.run_in_executor(self.writer, self._merge, self.pending[:]))
            self.pending.clear()

    def _merge(self, batch: list[TargetResult]) -> None:
        with session_scope(self.engine) as session:
            scan = session.get(Scan, self.scan_id)
            assert scan is not None
            part = merge_results(session, scan, batch)
        self.total.add(part)

    async def drain(self) -> None:
        self.flush()
        try:
            await asyncio.gather(*self.merges)
        finally:
            self.writer.shutdown(wait=True)


async def sweep_passes(
    plan: ScanPlan, batches: _Batches, progress: ScanProgress, on_progress: Progress | None
) -> None:
    """Every pass of the plan in order; what one hears is `earlier` for the next."""
    earlier: dict[str, Seen] = {}
    try:
        for position, planned in enumerate(plan.passes):
            later = position < len(plan.passes) - 1

            def on_result(
                result: TargetResult, protocol: str = planned.protocol, hold: bool = later
            ) -> None:
                if result.responded:
                    address = result.target.address
                    earlier[address] = earlier.get(address, Seen()).with_result(protocol, result)
                progress.probed += 1
                progress.responding += int(result.responded)
                progress.errors += int(result.failed and result.responded)
                batches.add(result, hold)
                if on_progress:
                    on_progress(progress)

            await planned.collector().sweep(plan.targets(planned), earlier, on_result)
            batches.flush()
    finally:
        batches.release()
        await batches.drain()


def run_scan(
    engine: sa.Engine,
    actor: Actor,
    plan: ScanPlan,
    targets_text: Sequence[str],
    stale_after_days: int,
    on_progress: Progress | None = None,
    scan_uid: str | None = None,
) -> ScanOutcome:
    """Sweep, merging every BATCH results in their own transaction; record the scan.

    `scan_uid` lets a caller that answers before the scan ends (the API) name
    it first. An exception from the sweep or a merge marks the scan FAILED,
    recorded with what was merged so far; the outcome says why (`error`), with
    the same keys as a scan that succeeded. An interrupt propagates.
    """
    with session_scope(engine) as session:
        scan = start_scan(
            session,
            actor,
            plan.kind,
            targets_text,
            plan.profile_names,
            plan.recorded_options(),
            scan_uid,
        )
        scan_id, scan_uid = pk(scan), scan.uid
    progress = ScanProgress(total=plan.upper_bound)
    total = ScanOutcome(scan_uid, ScanStatus.RUNNING, resting=plan.resting_until())
    status = ScanStatus.FAILED
    try:
        asyncio.run(sweep_passes(plan, _Batches(engine, scan_id, total), progress, on_progress))
        status = ScanStatus.SUCCEEDED
    except Exception as exc:  # recorded and reported; an interrupt still propagates
        # INFO, with the traceback, for a server's log; the outcome carries the one
        # line a person reads (the CLI prints it, the scan page shows FAILED).
        log.info("scan %s failed", scan_uid, exc_info=True)
        total.error = f"{type(exc).__name__}: {exc}"[:500]
    finally:
        with session_scope(engine) as session:
            if status is ScanStatus.SUCCEEDED:
                total.went_offline = flag_stale(
                    session, Actor(f"scan:{scan_uid}"), stale_after_days
                )
            finish_scan(session, scan_id, total, status)
        total.status = status
    return total


__all__ = ["BATCH", "run_scan", "sweep_passes"]
