"""Collect one target and sweep many: every outcome is a TargetResult, never a raise."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from collectors.credentials import SnmpCredential
from collectors.observation import TargetResult
from collectors.snmp import oids
from collectors.snmp.client import Session, SnmpEngine, SnmpError, SnmpTimeout
from collectors.snmp.fingerprint_probes import probe_oids
from collectors.snmp.pacing import default_burst
from collectors.snmp.parse import Collected, parse
from collectors.snmp.types import Oid
from collectors.snmp.values import oid as as_oid
from collectors.snmp.walk import walk_columns
from collectors.targets import Target

TABLE_COLUMNS: tuple[Oid, ...] = (
    *oids.IF_TABLE,
    *oids.IF_X_TABLE,
    *oids.IP_ADDR_TABLE,
    oids.IP_ADDRESS_IF_INDEX,
    *oids.HR_STORAGE,
    *oids.HR_DEVICE,
    oids.HR_PROCESSOR_LOAD,
    *oids.ENTITY_TABLE,
)


MAX_IN_FLIGHT = 20_000  # a few kB each: the memory of a sweep stays under about 100 MB


@dataclass(frozen=True)
class SweepOptions:
    timeout: float = 1.0  # seconds per try
    retries: int = 1  # tries = retries + 1
    concurrency: int = 0  # targets in flight; 0: derived from the rate, see in_flight()
    packets_per_second: float = 2000.0
    host_deadline: float = 30.0  # one target, all requests
    max_repetitions: int = 10
    full: bool = True  # False: the system group only (a quick liveness sweep)

    def in_flight(self) -> int:
        """How many targets a sweep works on at once: the given concurrency, or derived.

        A silent address holds its slot for time-out x tries and sends one
        datagram per time-out, so ``packets_per_second x timeout`` slots keep
        the rate limit busy whatever the tries; a quarter more, plus the
        limiter's burst, absorbs the time slots spend queued for the rate.
        Then a sweep takes about (datagrams / rate) + time-out x tries
        whatever the range size, and memory stays bounded by MAX_IN_FLIGHT.
        """
        if self.concurrency > 0:
            return self.concurrency
        burst = default_burst(self.packets_per_second)  # as RateLimiter's
        derived = math.ceil(self.packets_per_second * self.timeout * 1.25) + burst
        return max(1, min(MAX_IN_FLIGHT, derived))


async def collect_target(
    engine: SnmpEngine,
    target: Target,
    credentials: Sequence[SnmpCredential],
    options: SweepOptions,
) -> TargetResult:
    """Try each profile in order; the first that answers collects the rest."""
    started = time.monotonic()
    result = TargetResult(target)
    failures: list[str] = []
    only_silence = True
    try:
        async with asyncio.timeout(options.host_deadline):
            for credential in credentials:
                session = engine.session(target, credential, options.timeout, options.retries)
                try:
                    probe = await session.get(oids.PROBE)
                except SnmpTimeout:
                    failures.append(f"{credential.name}: no answer")
                    continue
                except SnmpError as exc:
                    # Something came back, if only garbage or a refusal: not silence.
                    result.responded = True
                    only_silence = False
                    failures.append(f"{credential.name}: {exc}")
                    continue
                result.responded = True
                collected = Collected(scalars=dict(probe))
                await _collect_rest(session, collected, options)
                result.observation = parse(
                    collected, target.address, credential.name, datetime.now(UTC)
                )
                break
    except TimeoutError:
        only_silence = False
        failures.append(f"host deadline of {options.host_deadline:g}s reached")
    if result.observation is None and not (only_silence and credentials):
        result.error = "; ".join(failures) or "no credential profile to try"
    result.seconds = time.monotonic() - started
    return result


async def _collect_rest(session: Session, collected: Collected, options: SweepOptions) -> None:
    """Scalars, then the tables; a failure keeps what was collected before it."""
    if not options.full:
        return
    object_id = as_oid(collected.scalar(oids.SYS_OBJECT_ID))
    wanted = [*oids.HOST_SCALARS, oids.UCD_MEM_TOTAL_REAL]
    try:
        collected.scalars.update(await session.get(wanted))
    except SnmpError as exc:
        collected.problems.append(f"scalars: {exc}")
    # Vendor MIB scalars in a request of their own: an SNMPv1 agent fails a whole
    # GET for one absent OID, and most agents lack most vendor subtrees.
    if probes := probe_oids(object_id):
        # No vendor MIB is no problem: the standard MIBs still describe the device.
        with contextlib.suppress(SnmpError):
            collected.scalars.update(await session.get(probes))
    try:
        walked = await walk_columns(session, TABLE_COLUMNS, options.max_repetitions)
    except SnmpError as exc:
        collected.problems.append(f"tables: {exc}")
        return
    collected.columns.update(walked.columns)
    if walked.problem:
        collected.problems.append(f"tables: {walked.problem}")


async def sweep(
    targets: Iterable[Target],
    credentials: Sequence[SnmpCredential],
    options: SweepOptions,
    on_result: Callable[[TargetResult], None],
    engine: SnmpEngine | None = None,
) -> None:
    """Collect every target with a fixed pool of `options.in_flight()` workers.

    `targets` is consumed lazily (at most one target ahead of the workers), so
    memory stays flat however large the range; results are handed to
    `on_result` as they come and nothing is accumulated here. Pass `engine` to
    share one socket and one rate limit with other work of the process.
    """
    own_engine = engine is None
    engine = engine or SnmpEngine(options.packets_per_second)
    iterator = iter(targets)

    async def worker() -> None:
        for target in iterator:  # the shared iterator hands each target out once
            on_result(await collect_target(engine, target, credentials, options))

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(options.in_flight()):
                group.create_task(worker())
    finally:
        if own_engine:
            engine.close()
