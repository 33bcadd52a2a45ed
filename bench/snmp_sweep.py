"""A /24 sweep with a quarter of the addresses live, against its bound and against nmap.

Live addresses run net-snmp's snmpd; the other 190 are mute (they swallow
datagrams, as empty addresses do). Measured in the same run:

- the bound: silent addresses' time-out x tries, plus the slowest live host
  collected alone;
- our sweep, quick (system group) and full (every table the inventory reads);
- nmap -sU -p161 --script snmp-sysdescr on the same range.

    .venv/bin/python bench/snmp_sweep.py [--timeout 1.0] [--retries 1]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import time

from bench.snmp_agents import COMMUNITY, Agents
from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.snmp.client import SnmpEngine
from collectors.snmp.collect import SweepOptions, collect_target, sweep
from collectors.targets import Exclusions, Target, expand, parse_targets

NETWORK = "127.40.0"
CREDENTIAL = SnmpCredential("bench", SnmpVersion.V2C, community=COMMUNITY)


def timed_sweep(options: SweepOptions) -> tuple[float, int]:
    answered: list[int] = []
    start = time.perf_counter()
    asyncio.run(
        sweep(
            expand(parse_targets([f"{NETWORK}.0/24"]), Exclusions()),
            [CREDENTIAL],
            options,
            lambda r: answered.append(int(r.observation is not None)),
        )
    )
    return time.perf_counter() - start, sum(answered)


def slowest_alone(live: list[str], options: SweepOptions) -> float:
    async def one(address: str) -> float:
        engine = SnmpEngine()
        try:
            start = time.perf_counter()
            result = await collect_target(engine, Target(address, 161), [CREDENTIAL], options)
            assert result.observation is not None, result.error
            return time.perf_counter() - start
        finally:
            engine.close()

    return max(asyncio.run(one(address)) for address in live)


def nmap_seconds() -> float | None:
    if shutil.which("nmap") is None:
        return None
    start = time.perf_counter()
    subprocess.run(
        [
            "nmap",
            "-n",
            "-Pn",
            "-sU",
            "-p161",
            "--script",
            "snmp-sysdescr",
            "--script-args",
            f"snmpcommunity={COMMUNITY}",
            f"{NETWORK}.1-254",
            "-oN",
            "/dev/null",
        ],
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=1.0)
    parser.add_argument("--retries", type=int, default=1)
    args = parser.parse_args()
    addresses = [f"{NETWORK}.{i}" for i in range(1, 255)]
    live = addresses[::4]  # 64 live, a quarter
    mute = [a for a in addresses if a not in live]
    quick = SweepOptions(timeout=args.timeout, retries=args.retries, full=False)
    full = SweepOptions(timeout=args.timeout, retries=args.retries)
    with Agents(live, mute):
        silent_cost = args.timeout * (args.retries + 1)
        bound_quick = silent_cost + slowest_alone(live, quick)
        bound_full = silent_cost + slowest_alone(live, full)
        quick_seconds, quick_found = timed_sweep(quick)
        full_seconds, full_found = timed_sweep(full)
        nmap = nmap_seconds()
    print(
        f"live agents: {len(live)}, mute addresses: {len(mute)}, "
        f"timeout {args.timeout}s x {args.retries + 1} tries"
    )
    print(
        f"quick sweep: {quick_seconds:.2f}s, found {quick_found}; bound {bound_quick:.2f}s; "
        f"ratio to bound {quick_seconds / bound_quick:.2f}x"
    )
    print(
        f"full sweep:  {full_seconds:.2f}s, found {full_found}; bound {bound_full:.2f}s; "
        f"ratio to bound {full_seconds / bound_full:.2f}x"
    )
    if nmap is None:
        print("nmap: not installed (apt-get install nmap)")
    else:
        print(
            f"nmap -sU -p161 --script snmp-sysdescr: {nmap:.2f}s; "
            f"quick sweep is {nmap / quick_seconds:.1f}x faster, "
            f"full sweep {nmap / full_seconds:.1f}x"
        )


if __name__ == "__main__":
    main()
