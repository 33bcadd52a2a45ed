"""Memory of a sweep does not grow with its targets: 1,000 against 10,000 addresses.

Each size runs in a fresh process over silent loopback addresses
(127.50.0.0/16, where nothing listens) and reports the peak of Python
allocations during the sweep (tracemalloc) and the process's peak RSS.

    .venv/bin/python -m bench.snmp_memory
"""

from __future__ import annotations

import asyncio
import json
import resource
import subprocess
import sys
import tracemalloc


def measure(count: int) -> dict[str, float]:
    from collectors.credentials import SnmpCredential, SnmpVersion
    from collectors.snmp.collect import SweepOptions, sweep
    from collectors.targets import Exclusions, expand, parse_targets

    last = 0x7F320000 + count  # 127.50.0.0 + count
    target = (
        f"127.50.0.1-{(last >> 24) & 255}.{(last >> 16) & 255}.{(last >> 8) & 255}.{last & 255}"
    )
    seen = [0]
    tracemalloc.start()
    asyncio.run(
        sweep(
            expand(parse_targets([target]), Exclusions()),
            [SnmpCredential("b", SnmpVersion.V2C, community="bench")],
            SweepOptions(timeout=0.2, retries=0, concurrency=1000, packets_per_second=20_000),
            lambda r: seen.__setitem__(0, seen[0] + 1),
        )
    )
    _current, peak = tracemalloc.get_traced_memory()
    return {
        "targets": seen[0],
        "peak_python_mib": peak / 2**20,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
        return
    results = []
    for count in (1_000, 10_000):
        output = subprocess.run(
            [sys.executable, "-m", "bench.snmp_memory", "--one", str(count)],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        results.append(json.loads(output))
    for r in results:
        print(
            f"{r['targets']:>6} targets: peak Python allocations {r['peak_python_mib']:.1f} MiB, "
            f"peak RSS {r['max_rss_mib']:.1f} MiB"
        )
    small, large = results
    print(
        "growth for 10x the targets: "
        f"Python {large['peak_python_mib'] / small['peak_python_mib']:.2f}x, "
        f"RSS {large['max_rss_mib'] / small['max_rss_mib']:.2f}x"
    )


if __name__ == "__main__":
    main()
