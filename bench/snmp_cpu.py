"""CPU time per collected value: our walk against net-snmp's snmpbulkwalk, same agent, same run.

Both walk the whole tree of one snmpd on loopback with GETBULK (25
repetitions). For snmpbulkwalk the CPU is its process's user+system time
(children rusage), with MIB loading off (-m '') so only the protocol work
is counted; for ours, the process CPU spent inside the walk. Best of N.

    .venv/bin/python -m bench.snmp_cpu [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import time

from bench.snmp_agents import COMMUNITY, Agents
from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.snmp.client import SnmpEngine
from collectors.snmp.types import Oid
from collectors.snmp.walk import walk_columns
from collectors.targets import Target

ADDRESS = "127.41.0.1"
ROOT = Oid.parse("1.3.6.1")


def ours() -> tuple[float, int]:
    async def walk() -> tuple[float, int]:
        engine = SnmpEngine(packets_per_second=100_000)
        session = engine.session(
            Target(ADDRESS, 161), SnmpCredential("b", SnmpVersion.V2C, community=COMMUNITY), 2, 1
        )
        start = time.process_time()
        walked = await walk_columns(session, [ROOT], max_repetitions=25, max_values=1_000_000)
        cpu = time.process_time() - start
        engine.close()
        return cpu, walked.values

    return asyncio.run(walk())


def general_decoder() -> tuple[float, int]:
    """The same walk with every reply sent through pysnmp's pyasn1 decoder."""
    from collectors.snmp import client
    from collectors.snmp.fastber import NotFastPath, Response

    def refuse(_data: bytes) -> Response:
        raise NotFastPath("measuring the general decoder")

    names = vars(client)  # the module's own namespace: what the dispatcher looks up
    fast, names["decode_response"] = names["decode_response"], refuse
    try:
        return ours()
    finally:
        names["decode_response"] = fast


def theirs() -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(
        [
            "snmpbulkwalk",
            "-v2c",
            "-c",
            COMMUNITY,
            "-Cr25",
            "-m",
            "",
            "-On",
            "-Oq",
            f"{ADDRESS}:161",
            ".1.3.6.1",
        ],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, len(output.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with Agents([ADDRESS], []):
        our_runs = [ours() for _ in range(args.repeat)]
        their_runs = [theirs() for _ in range(args.repeat)]
        general_cpu, general_values = min(
            general_decoder() for _ in range(max(1, args.repeat // 2))
        )
    our_cpu, our_values = min(our_runs)
    their_cpu, their_values = min(their_runs)
    ours_per = our_cpu / our_values * 1e6
    theirs_per = their_cpu / their_values * 1e6
    print(f"values walked: ours {our_values}, snmpbulkwalk {their_values}")
    print(
        f"CPU per value: ours {ours_per:.1f} µs, snmpbulkwalk {theirs_per:.1f} µs "
        f"(whole process, startup included)"
    )
    print(f"ratio: {ours_per / theirs_per:.2f}x")
    general_per = general_cpu / general_values * 1e6
    print(
        f"where we started, replies decoded by pyasn1: {general_per:.1f} µs per value, "
        f"{general_per / theirs_per:.1f}x"
    )


if __name__ == "__main__":
    main()
