"""A sweep keeps the packet rate busy with bounded memory, whatever the range size."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterator

from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.observation import TargetResult
from collectors.snmp.client import SnmpEngine
from collectors.snmp.collect import MAX_IN_FLIGHT, SweepOptions, sweep
from collectors.targets import Target
from tests.agents import COMMUNITY, HostileAgent

V2C = SnmpCredential("v2c", SnmpVersion.V2C, community=COMMUNITY)


def test_targets_in_flight_are_what_keeps_the_rate_busy() -> None:
    # A silent address sends one datagram per time-out while it holds its
    # slot, so rate x time-out slots send at the rate; a quarter more and the
    # burst absorb queueing. The old fixed 256 sent 257 a second of 2,000.
    assert SweepOptions(packets_per_second=2000, timeout=1.0).in_flight() == 2500 + 400
    assert SweepOptions(packets_per_second=2000, timeout=2.0).in_flight() == 5000 + 400
    assert SweepOptions(packets_per_second=100, timeout=0.5).in_flight() == math.ceil(62.5) + 20
    # More tries hold a slot longer but send more from it: the count does not change.
    assert (
        SweepOptions(retries=0).in_flight()
        == SweepOptions(retries=3).in_flight()
        == SweepOptions().in_flight()
    )


def test_memory_is_bounded_and_an_explicit_concurrency_wins() -> None:
    assert SweepOptions(packets_per_second=100_000, timeout=60).in_flight() == MAX_IN_FLIGHT
    assert SweepOptions(concurrency=7).in_flight() == 7
    assert SweepOptions(packets_per_second=1, timeout=0.05).in_flight() == 1 + 1  # never 0
    assert SweepOptions(concurrency=0).in_flight() == SweepOptions().in_flight()  # 0: derived


def test_a_sweep_reads_its_targets_lazily_and_counts_every_datagram() -> None:
    """Memory stays flat: a target is taken only when a worker is free for it."""
    pulled = 0
    ahead: list[int] = []
    options = SweepOptions(timeout=0.05, retries=1, concurrency=5, packets_per_second=10_000)

    with HostileAgent(lambda data, addr: []) as mute:  # swallows everything, answers nothing

        def targets() -> Iterator[Target]:
            nonlocal pulled
            for _ in range(40):
                pulled += 1
                yield Target(mute.address, mute.port)

        results: list[TargetResult] = []

        def on_result(result: TargetResult) -> None:
            results.append(result)
            ahead.append(pulled - len(results))

        async def main() -> int:
            engine = SnmpEngine(options.packets_per_second)
            try:
                await sweep(targets(), [V2C], options, on_result, engine)
                return engine.packets_sent
            finally:
                engine.close()

        sent = asyncio.run(main())
        assert mute.received == sent

    assert len(results) == 40
    assert all(r.silent for r in results)
    assert max(ahead) <= options.in_flight()  # never more targets out than workers
    assert sent == 40 * 2  # one try and one retry each, nothing more
