"""An SSH pass over a /24 where a quarter of the addresses run sshd, against its bound.

The bound is what the issue names: the silent addresses' connect time-out
plus the slowest host alone. Silent addresses must really be silent (a
loopback address answers RST at once), so the bench builds its own network
namespace: a veth pair inside it, 64 addresses of 10.99.0.0/24 local (one
sshd each), and the other 190 routed to the veth with static neighbour
entries for a MAC nobody has, so their SYNs are dropped and a connect waits
its full time-out. No packet leaves the namespace; the host's own network
and firewall are not touched. Run as root (needs `ip` and openssh-server):

    flock /work/bench.lock .venv/bin/python -m bench.ssh_range [--remote-seconds 1]

Measured in the same run: one silent connect alone (the time-out), every
live host collected alone (the slowest is the other half of the bound), then
the SSH collector sweeping the whole /24 at the default concurrency.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from collectors.observation import TargetResult
from collectors.registry import COLLECTORS, CollectorSettings
from collectors.ssh.client import SshCredential, SshLimits, collect_server
from collectors.ssh.sweep import connect
from collectors.targets import Exclusions, Target, expand, parse_targets
from inventory.domain.scan_options import ScanOptions

NET = "10.99.0"
RANGE = f"{NET}.0/24"
LIVE = [f"{NET}.{n}" for n in range(1, 254, 4)]  # 64 addresses: a quarter of the /24
RECORDED = Path(__file__).parents[1] / "tests" / "data" / "ssh" / "centos7-dell.out"


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True)


def build_namespace(name: str) -> None:
    """Loopback up, a veth pair, the live addresses local, the rest dropped on the wire."""
    ip("netns", "add", name)
    ip("-n", name, "link", "set", "lo", "up")
    ip("-n", name, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
    for link in ("v0", "v1"):
        ip("-n", name, "link", "set", link, "up")
    ip("-n", name, "addr", "add", f"{NET}.254/24", "dev", "v0")
    for address in LIVE:
        ip("-n", name, "addr", "add", f"{address}/32", "dev", "v0")
    batch = "".join(
        f"neigh add {NET}.{n} lladdr 02:00:00:00:00:01 dev v0 nud permanent\n"
        for n in range(0, 256)
        if f"{NET}.{n}" not in LIVE and n != 254
    )
    subprocess.run(["ip", "-n", name, "-batch", "-"], input=batch, text=True, check=True)


def start_servers(
    workdir: Path, remote_seconds: float
) -> tuple[list[subprocess.Popen[bytes]], Path]:
    key, host_key = workdir / "client_key", workdir / "host_key"
    for path in (key, host_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    (workdir / "authorized_keys").write_text(key.with_suffix(".pub").read_text())
    Path("/run/sshd").mkdir(exist_ok=True)
    binary = shutil.which("sshd") or "/usr/sbin/sshd"
    processes = []
    for number, address in enumerate(LIVE):
        config = workdir / f"sshd_{number}.conf"
        config.write_text(
            f"Port 22\nListenAddress {address}\nHostKey {host_key}\n"
            f"PidFile {workdir / f'sshd_{number}.pid'}\n"
            f"AuthorizedKeysFile {workdir / 'authorized_keys'}\nPermitRootLogin prohibit-password\n"
            "PasswordAuthentication no\nUsePAM no\nStrictModes no\nMaxStartups 100\n"
            # bash sources root's ~/.bashrc for sshd sessions unless SHLVL is set
            # (see bench/ssh_sweep.py): no real server spends that on our cores.
            "SetEnv SHLVL=1\n"
            # A remote host: its own time, then a recorded answer; no work here.
            f"ForceCommand sleep {remote_seconds}; cat {RECORDED}\n"
        )
        processes.append(subprocess.Popen([binary, "-D", "-f", str(config)]))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if all(asyncio.run(connect(Target(a, 22), 0.5)) for a in LIVE[-1:] + LIVE[:1]):
            break
        time.sleep(0.2)
    return processes, key


def inside(remote_seconds: float, repeat: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="ssh-range-"))
    processes, key = start_servers(workdir, remote_seconds)
    login = SshCredential(
        "bench", getpass.getuser(), private_key=key.read_text(), trust_on_first_use=True
    )
    options = ScanOptions()
    try:
        start = time.perf_counter()
        silent = asyncio.run(connect(Target(f"{NET}.2", 22), options.timeout))
        connect_timeout = time.perf_counter() - start
        assert silent is None, "a silent address answered: the namespace is not as built"
        alone = []
        for address in LIVE:
            start = time.perf_counter()
            result = collect_server(Target(address, 22), login, {}, SshLimits())
            assert result.observation is not None, result.error
            alone.append(time.perf_counter() - start)
        bound = connect_timeout + max(alone)
        for _ in range(repeat):
            found: list[TargetResult] = []
            collector = COLLECTORS.get("ssh")(
                CollectorSettings(
                    (login,), timeout=options.timeout, concurrency=options.concurrency
                )
            )
            targets = expand(parse_targets([f"{RANGE}:22"]), Exclusions.of([], []))
            start = time.perf_counter()
            asyncio.run(collector.sweep(targets, {}, found.append))
            swept = time.perf_counter() - start
            collected = sum(r.observation is not None for r in found)
            missed = [
                (r.target.address, r.responded, round(r.seconds, 2))
                for r in found
                if r.target.address in LIVE and r.observation is None
            ]
            assert collected == len(LIVE), missed[:5]
            assert not any(r.error for r in found)
            print(
                f"/24, {len(found)} addresses, {collected} sshd: swept in {swept:.2f}s; bound "
                f"{bound:.2f}s (connect time-out {connect_timeout:.2f}s + slowest host alone "
                f"{max(alone):.2f}s, median {sorted(alone)[len(alone) // 2]:.2f}s); "
                f"ratio {swept / bound:.2f}x (concurrency {getattr(collector, 'concurrency', '?')})"
            )
    finally:
        for process in processes:
            process.terminate()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--remote-seconds", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        inside(args.remote_seconds, args.repeat)
        return
    if os.geteuid() != 0 or not shutil.which("ip"):
        sys.exit("run as root with iproute2: the bench builds a network namespace")
    name = f"inv-bench-{os.getpid()}"
    build_namespace(name)
    try:
        subprocess.run(
            ["ip", "netns", "exec", name, sys.executable, "-m", "bench.ssh_range", "--inside",
             "--remote-seconds", str(args.remote_seconds), "--repeat", str(args.repeat)],
            check=True,
            cwd=Path(__file__).parents[1],
        )  # fmt: skip
    finally:
        ip("netns", "del", name)


if __name__ == "__main__":
    main()
