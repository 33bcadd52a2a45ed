"""The SSH pass: a TCP probe first, then as many hosts in flight as the user asked for."""

from __future__ import annotations

import asyncio
import selectors
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from collectors.observation import TargetResult
from collectors.ssh.client import SshCredential, SshLimits, collect_server
from collectors.ssh.sweep import connect, sweep
from collectors.targets import Target
from tests.agents import Tarpit, free_tcp_port

ROOT = Path(__file__).parents[3]
LOGIN = SshCredential("ops", "ops", password="x", trust_on_first_use=True)


class Tarpits:
    """Listeners that accept and never speak; counts the connections open at once."""

    def __init__(self, count: int) -> None:
        self.listeners = [Tarpit() for _ in range(count)]
        self.selector = selectors.DefaultSelector()
        self.open = 0
        self.peak = 0
        self._stop = threading.Event()
        for pit in self.listeners:
            pit.listener.setblocking(False)
            self.selector.register(pit.listener, selectors.EVENT_READ, "listener")
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def targets(self) -> list[Target]:
        return [Target(p.address, p.port) for p in self.listeners]

    def _serve(self) -> None:
        while not self._stop.is_set():
            for key, _ in self.selector.select(timeout=0.05):
                sock: Any = key.fileobj
                if key.data == "listener":
                    connection, _ = sock.accept()
                    self.selector.register(connection, selectors.EVENT_READ, "peer")
                    self.open += 1
                    self.peak = max(self.peak, self.open)
                elif not sock.recv(4096):  # the client gave up: never a word from us
                    self.selector.unregister(sock)
                    sock.close()
                    self.open -= 1

    def __enter__(self) -> Tarpits:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for pit in self.listeners:
            pit.listener.close()


def test_a_closed_port_is_an_empty_address_without_a_thread_or_an_error() -> None:
    found: list[TargetResult] = []
    target = Target("127.0.0.1", free_tcp_port())
    assert asyncio.run(connect(target, 1.0)) is None
    asyncio.run(sweep([target], [LOGIN], {}, found.append, probe_timeout=0.5))
    (result,) = found
    assert result.silent  # neither responded nor an error: nothing listens there


@pytest.mark.integration
def test_the_sweep_keeps_as_many_hosts_in_flight_as_asked_not_64() -> None:
    found: list[TargetResult] = []
    with Tarpits(100) as pits:
        asyncio.run(
            sweep(pits.targets(), [LOGIN], {}, found.append, SshLimits(banner=2.0), concurrency=100)
        )
    assert pits.peak == 100
    assert {r.error for r in found} == {"deadline reached in banner (2s)"}


@pytest.mark.integration
def test_a_tarpit_is_a_deadline_in_the_banner_phase_with_no_traceback() -> None:
    # A separate interpreter with logging unconfigured, as the CLI runs: what
    # paramiko's transport thread logs would reach stderr there, not here.
    program = (
        "import asyncio\n"
        "from collectors.ssh.client import SshCredential, SshLimits\n"
        "from collectors.ssh.sweep import sweep\n"
        "from collectors.targets import Target\n"
        "from tests.agents import Tarpit\n"
        "with Tarpit() as pit:\n"
        "    asyncio.run(sweep([Target(pit.address, pit.port)],"
        " [SshCredential('ops', 'ops', password='x')], {},"
        " lambda r: print(r.responded, r.error), SshLimits(banner=0.5)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout == "True deadline reached in banner (0.5s)\n"
    assert done.stderr == ""


@pytest.mark.integration
def test_a_fingerprint_is_shown_as_ssh_keygen_shows_it(sshd: Any) -> None:
    result = collect_server(
        Target(sshd.address, sshd.port),
        SshCredential("k", sshd.user, private_key=sshd.client_key.read_text()),
        {},
    )
    assert result.host_key is not None
    listed = subprocess.run(
        ["ssh-keygen", "-lf", str(sshd.host_key.with_suffix(".pub"))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()  # "256 SHA256:… comment (ED25519)"
    assert result.host_key.openssh == listed[1]
    assert listed[1] in (result.error or "")  # the refusal names it the same way


def test_the_tarpit_fixture_is_a_real_listening_socket() -> None:
    with Tarpit() as pit, socket.create_connection((pit.address, pit.port), timeout=1) as probe:
        probe.settimeout(0.2)
        with pytest.raises(TimeoutError):
            probe.recv(1)  # connected, and not a word


@pytest.mark.integration
def test_a_tarpit_that_snmp_called_a_switch_is_a_banner_deadline_too() -> None:
    from collectors.ssh.sweep import collect_with_profiles

    with Tarpit() as pit:
        result = collect_with_profiles(
            Target(pit.address, pit.port), [LOGIN], {}, SshLimits(banner=0.5), "huawei"
        )
    assert result.responded
    assert result.error == "deadline reached in banner (0.5s)"
