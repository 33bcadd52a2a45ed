"""A /16 with 1% live agents, against its bound and against onesixtyone, same run.

Runs in a network namespace of its own (``unshare --net``, root), so nothing
leaves the machine and the host's firewall is untouched. Inside it:

- 10.77.0.0/16 is routed to a tun device nobody reads: a datagram to a mute
  address is dropped without a word, as a firewalled or empty address in a
  department network (on plain loopback, an address without a listener
  answers ICMP port-unreachable at once, which no WAN does);
- every hundredth address is on ``lo`` with net-snmp's snmpd listening
  (one snmpd per 128 addresses: 656 real agents);
- packets sent are counted by the kernel: the tun's dropped counter (mute
  addresses) plus half of ``lo``'s (requests to agents; each is answered).

Measured: our sweep at the defaults (2,000/s, 1 s x 2 tries) against its
bound (packets / rate + time-out x tries); then ours and onesixtyone at equal
tries (1, onesixtyone never resends) and equal rate (``-w 1``: at most 1,000/s).

    flock /work/bench.lock .venv/bin/python -m bench.snmp_sweep_wide
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.snmp_agents import COMMUNITY, SharedAgents
from collectors.credentials import SnmpCredential, SnmpVersion
from collectors.observation import TargetResult
from collectors.snmp.client import SnmpEngine
from collectors.snmp.collect import SweepOptions, sweep
from collectors.targets import Exclusions, expand, parse_targets

RANGE = "10.77.0.0/16"
MUTE_DEVICE = "mute0"
CREDENTIAL = SnmpCredential("bench", SnmpVersion.V2C, community=COMMUNITY)


def live_addresses() -> list[str]:
    """Every hundredth host address of the /16: 1% live."""
    return [f"10.77.{i // 256}.{i % 256}" for i in range(1, 65535) if i % 100 == 1]


def all_hosts() -> list[str]:
    return [f"10.77.{i // 256}.{i % 256}" for i in range(1, 65535)]


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True)


def build_namespace(live: list[str]) -> None:
    ip("link", "set", "lo", "up")
    ip("tuntap", "add", "mode", "tun", MUTE_DEVICE)
    ip("link", "set", MUTE_DEVICE, "up")
    ip("route", "add", RANGE, "dev", MUTE_DEVICE)
    batch = "".join(f"address add {address}/32 dev lo\n" for address in live)
    subprocess.run(["ip", "-batch", "-"], input=batch.encode(), check=True)


def sent_through(device: str) -> int:
    """Datagrams the kernel took for `device`, sent or dropped (`ip -s`: this namespace's)."""
    shown = subprocess.run(
        ["ip", "-j", "-s", "link", "show", "dev", device], capture_output=True, check=True
    ).stdout
    tx = json.loads(shown)[0]["stats64"]["tx"]
    return int(tx["packets"]) + int(tx["dropped"])


@dataclass
class Run:
    seconds: float
    found: int
    packets: int  # counted by the kernel

    @classmethod
    def measure(cls, action: Callable[[], int]) -> Run:
        mute, loop = sent_through(MUTE_DEVICE), sent_through("lo")
        start = time.perf_counter()
        found = action()
        seconds = time.perf_counter() - start
        mute, loop = sent_through(MUTE_DEVICE) - mute, sent_through("lo") - loop
        return cls(seconds, found, mute + loop // 2)


def ours(options: SweepOptions, sent: list[int]) -> int:
    found: list[TargetResult] = []

    def keep(result: TargetResult) -> None:
        if result.observation is not None:
            found.append(result)

    async def main() -> None:
        engine = SnmpEngine(options.packets_per_second)
        try:
            await sweep(
                expand(parse_targets([RANGE]), Exclusions()), [CREDENTIAL], options, keep, engine
            )
        finally:
            sent.append(engine.packets_sent)
            engine.close()

    asyncio.run(main())
    return len(found)


def onesixtyone(folder: Path, wait_ms: int) -> int:
    hosts, communities = folder / "hosts", folder / "communities"
    hosts.write_text("\n".join(all_hosts()) + "\n")
    communities.write_text(COMMUNITY + "\n")
    output = subprocess.run(
        ["onesixtyone", "-w", str(wait_ms), "-i", str(hosts), "-c", str(communities)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sum(1 for line in output.splitlines() if f"[{COMMUNITY}]" in line)


def inside(args: argparse.Namespace) -> None:
    live = live_addresses()
    build_namespace(live)
    default = SweepOptions(full=False)  # the /16 liveness sweep: the system group
    fair = SweepOptions(timeout=default.timeout, retries=0, packets_per_second=1000, full=False)
    sent: list[int] = []
    with SharedAgents(live), tempfile.TemporaryDirectory(prefix="onesixtyone-") as folder:
        first = Run.measure(lambda: ours(default, sent))
        equal = Run.measure(lambda: ours(fair, sent))
        theirs = Run.measure(lambda: onesixtyone(Path(folder), 1)) if args.onesixtyone else None
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tries = default.retries + 1
    bound = first.packets / default.packets_per_second + default.timeout * tries
    print(f"{RANGE}: {len(live)} live snmpd agents, {65534 - len(live)} mute addresses")
    print(
        f"ours, defaults ({default.packets_per_second:g}/s, {default.timeout:g}s x {tries} tries,"
        f" {default.in_flight()} in flight): {first.seconds:.1f}s, found {first.found},"
        f" {first.packets} packets (engine counted {sent[0]});"
        f" bound {bound:.1f}s; ratio {first.seconds / bound:.2f}x"
    )
    bound_fair = equal.packets / fair.packets_per_second + fair.timeout
    print(
        f"ours, 1 try at {fair.packets_per_second:g}/s: {equal.seconds:.1f}s, found {equal.found},"
        f" {equal.packets} packets (engine counted {sent[1]}); bound {bound_fair:.1f}s;"
        f" ratio {equal.seconds / bound_fair:.2f}x"
    )
    if theirs is not None:
        print(
            f"onesixtyone -w 1 (1 try, at most 1,000/s): {theirs.seconds:.1f}s,"
            f" found {theirs.found}, {theirs.packets} packets"
            f" ({theirs.packets / theirs.seconds:.0f}/s achieved);"
            f" ours at equal tries and rate is {theirs.seconds / equal.seconds:.2f}x as fast"
        )
    print(f"peak memory of this process: {peak_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-onesixtyone", dest="onesixtyone", action="store_false")
    args = parser.parse_args()
    if args.inside:
        inside(args)
        return
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        sys.exit("needs root and unshare(1): the bench builds its own network namespace")
    if args.onesixtyone and shutil.which("onesixtyone") is None:
        sys.exit("onesixtyone is not installed (apt-get install onesixtyone), or --no-onesixtyone")
    command = [sys.executable, "-m", "bench.snmp_sweep_wide", "--inside"]
    if not args.onesixtyone:
        command.append("--no-onesixtyone")
    sys.exit(subprocess.run(["unshare", "--net", "--", *command], check=False).returncode)


if __name__ == "__main__":
    main()
