"""Agents for the SNMP benchmarks: real snmpd processes and mute addresses, on loopback.

A mute address has a UDP socket that swallows every datagram: like an empty
address in a department network, it neither answers nor sends ICMP back.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

COMMUNITY = "bench-ro"


class Agents:
    def __init__(self, live: list[str], mute: list[str], port: int = 161) -> None:
        self.live, self.mute, self.port = live, mute, port
        self.workdir = Path(tempfile.mkdtemp(prefix="snmp-bench-"))
        self.processes: list[subprocess.Popen[bytes]] = []
        self.sockets: list[socket.socket] = []

    def __enter__(self) -> Agents:
        binary = shutil.which("snmpd") or "/usr/sbin/snmpd"
        for number, address in enumerate(self.live):
            folder = self.workdir / f"a{number}"
            folder.mkdir()
            config = folder / "snmpd.conf"
            config.write_text(
                f"agentaddress udp:{address}:{self.port}\nrocommunity {COMMUNITY} 127.0.0.0/8\n"
                f"sysName bench-{number:03d}\nsysLocation 机房 {number}\n"
            )
            self.processes.append(
                subprocess.Popen(
                    [binary, "-f", "-C", "-c", str(config), "-Lf", "/dev/null"],
                    env={"SNMP_PERSISTENT_DIR": str(folder)},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        for address in self.mute:
            sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sink.bind((address, self.port))
            self.sockets.append(sink)
        self._wait()
        return self

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        for address in self.live:
            while time.monotonic() < deadline:
                probe = subprocess.run(
                    [
                        "snmpget",
                        "-v2c",
                        "-c",
                        COMMUNITY,
                        "-t",
                        "0.2",
                        "-r",
                        "0",
                        "-m",
                        "",
                        f"{address}:{self.port}",
                        "1.3.6.1.2.1.1.5.0",
                    ],
                    capture_output=True,
                    check=False,
                )
                if probe.returncode == 0:
                    break
                time.sleep(0.05)
            else:
                raise RuntimeError(f"snmpd at {address} did not start")

    def __exit__(self, *_exc: object) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=10)
        for sink in self.sockets:
            sink.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


class SharedAgents:
    """Many agent addresses at little cost: one snmpd serves `per_process` addresses.

    For the wide sweep (bench/snmp_sweep_wide.py), which runs in a network
    namespace of its own: the addresses must already be on an interface.
    """

    def __init__(self, addresses: list[str], per_process: int = 128, port: int = 161) -> None:
        self.addresses, self.per_process, self.port = addresses, per_process, port
        self.workdir = Path(tempfile.mkdtemp(prefix="snmp-bench-shared-"))
        self.processes: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> SharedAgents:
        binary = shutil.which("snmpd") or "/usr/sbin/snmpd"
        chunks = [
            self.addresses[i : i + self.per_process]
            for i in range(0, len(self.addresses), self.per_process)
        ]
        for number, chunk in enumerate(chunks):
            folder = self.workdir / f"s{number}"
            folder.mkdir()
            config = folder / "snmpd.conf"
            config.write_text(f"rocommunity {COMMUNITY}\nsysName shared-{number:02d}\n")
            listen = [f"udp:{address}:{self.port}" for address in chunk]
            self.processes.append(
                subprocess.Popen(
                    [binary, "-f", "-C", "-c", str(config), "-Lf", "/dev/null", *listen],
                    env={"SNMP_PERSISTENT_DIR": str(folder)},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        waiter = Agents([chunk[-1] for chunk in chunks], [], self.port)
        waiter._wait()  # the last address of each snmpd answers: all of its are bound
        return self

    def __exit__(self, *_exc: object) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)
