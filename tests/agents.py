"""Real and hostile SNMP agents on loopback for the tests.

`RealSnmpd` runs net-snmp's own agent; `HostileAgent` is an asyncio UDP
server that answers the way broken and malicious agents do. Both listen on
127.0.0.0/8 only.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api

V3_USER = "inv_v3"
# The account .ci/run creates for SSH password tests.
PASSWORD_USER = "inventory-test"
PASSWORD = "Inv-Test-Pass-2026"
V3_AUTH = "auth-Secret-0042"
V3_PRIV = "priv-Secret-0042"
COMMUNITY = "inv-test-ro"


def free_udp_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class RealSnmpd:
    """net-snmp's snmpd with a v2c community and a v3 authPriv SHA-256/AES user."""

    def __init__(
        self,
        workdir: Path,
        address: str = "127.0.0.1",
        sys_name: str = "lab-snmpd",
        sys_descr: str | None = None,
    ) -> None:
        self.address = address
        self.port = free_udp_port(address)
        self.workdir = workdir
        self.sys_name = sys_name
        self.sys_descr = sys_descr
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> RealSnmpd:
        binary = shutil.which("snmpd") or "/usr/sbin/snmpd"
        config = self.workdir / "snmpd.conf"
        config.write_text(
            f"agentaddress udp:{self.address}:{self.port}\n"
            f"rocommunity {COMMUNITY} 127.0.0.0/8\n"
            f"createUser {V3_USER} SHA-256 {V3_AUTH} AES {V3_PRIV}\n"
            f"rouser {V3_USER} priv\n"
            f"sysName {self.sys_name}\nsysLocation 数据局机房 A-01\nsysContact ops@example.org\n"
            + (f"sysDescr {self.sys_descr}\n" if self.sys_descr else "")
        )
        persist = self.workdir / "persist"
        persist.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [binary, "-f", "-C", "-c", str(config), "-Lf", str(self.workdir / "snmpd.log")],
            env={"SNMP_PERSISTENT_DIR": str(persist), "PATH": "/usr/sbin:/usr/bin:/bin"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait()
        return self

    def _wait(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            result = subprocess.run(
                [
                    "snmpget",
                    "-v2c",
                    "-c",
                    COMMUNITY,
                    "-t",
                    "0.3",
                    "-r",
                    "0",
                    f"{self.address}:{self.port}",
                    "1.3.6.1.2.1.1.5.0",
                ],
                capture_output=True,
                check=False,
            )
            if result.returncode == 0:
                return
            time.sleep(0.1)
        log = (self.workdir / "snmpd.log").read_text(errors="replace")[-1000:]
        raise RuntimeError(f"snmpd did not start: {log}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


Reply = Callable[[bytes, tuple[str, int]], list[bytes]]


def answer(
    request: bytes,
    varbinds: list[tuple[str, object]] | None = None,
    *,
    error_status: int = 0,
    request_id: int | None = None,
) -> bytes:
    """A well-formed v2c response to `request`, with the given values."""
    module = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
    message, _ = decoder.decode(request, asn1Spec=module.Message())
    pdu = module.apiMessage.get_pdu(message)
    response = module.apiMessage.get_response(message)
    response_pdu = module.apiMessage.get_pdu(response)
    if varbinds is None:
        varbinds = [
            (str(oid), module.OctetString("x")) for oid, _v in module.apiPDU.get_varbinds(pdu)
        ]
    module.apiPDU.set_varbinds(response_pdu, [(module.ObjectIdentifier(o), v) for o, v in varbinds])
    module.apiPDU.set_error_status(response_pdu, error_status)
    if request_id is not None:
        module.apiPDU.set_request_id(response_pdu, request_id)
    return bytes(encoder.encode(response))


def requested(request: bytes) -> tuple[str, list[str]]:
    """The PDU kind and the OIDs a request asks for."""
    module = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
    message, _ = decoder.decode(request, asn1Spec=module.Message())
    pdu = module.apiMessage.get_pdu(message)
    return pdu.__class__.__name__, [str(oid) for oid, _v in module.apiPDU.get_varbinds(pdu)]


class HostileAgent:
    """A UDP agent on its own thread that replies with whatever `reply` returns."""

    def __init__(self, reply: Reply, address: str = "127.0.0.1") -> None:
        self.reply = reply
        self.address = address
        self.port = free_udp_port(address)
        self.received = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._transport: asyncio.DatagramTransport | None = None

    def __enter__(self) -> HostileAgent:
        agent = self

        class Protocol(asyncio.DatagramProtocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                agent._transport = transport  # type: ignore[assignment]

            def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
                agent.received += 1
                assert agent._transport is not None
                for datagram in agent.reply(data, addr):
                    agent._transport.sendto(datagram, addr)

        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(
            self._loop.create_datagram_endpoint(Protocol, local_addr=(self.address, self.port)),
            self._loop,
        )
        future.result(timeout=5)
        return self

    def __exit__(self, *_exc: object) -> None:
        async def shutdown() -> None:
            if self._transport is not None:
                self._transport.close()
            await asyncio.sleep(0.01)  # let the transport finish closing its socket

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()


class RealSshd:
    """OpenSSH's sshd on a loopback port: key login for the running user.

    `force_command` turns it into a server that stalls mid-command.
    """

    def __init__(
        self,
        workdir: Path,
        force_command: str | None = None,
        launcher: Sequence[str] = (),
    ) -> None:
        self.address = "127.0.0.1"
        self.port = free_tcp_port()
        self.workdir = workdir
        self.force_command = force_command
        self.launcher = list(launcher)  # runs first, then execs sshd (a mount namespace)
        self.process: subprocess.Popen[bytes] | None = None
        self.client_key = workdir / "client_key"
        self.host_key = workdir / "host_ed25519"
        self.log = workdir / "sshd.log"

    def start(self) -> RealSshd:
        import getpass

        for path, kind in ((self.host_key, "ed25519"), (self.client_key, "ed25519")):
            if not path.exists():
                subprocess.run(
                    ["ssh-keygen", "-q", "-t", kind, "-N", "", "-f", str(path)], check=True
                )
        (self.workdir / "authorized_keys").write_text(
            (self.client_key.with_suffix(".pub")).read_text()
        )
        Path("/run/sshd").mkdir(exist_ok=True)
        config = self.workdir / "sshd_config"
        config.write_text(
            f"Port {self.port}\nListenAddress {self.address}\nHostKey {self.host_key}\n"
            f"PidFile {self.workdir / 'sshd.pid'}\n"
            f"AuthorizedKeysFile {self.workdir / 'authorized_keys'}\n"
            "PermitRootLogin prohibit-password\nPasswordAuthentication yes\n"
            "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nLogLevel VERBOSE\n"
            # Keep bash from sourcing the running user's ~/.bashrc, as it does for
            # sshd sessions: a developer's rc file is not part of any server.
            "SetEnv SHLVL=1\n"
            + (f"ForceCommand {self.force_command}\n" if self.force_command else "")
        )
        binary = shutil.which("sshd") or "/usr/sbin/sshd"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*self.launcher, binary, "-D", "-e", "-f", str(config)],
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((self.address, self.port), timeout=0.5) as probe:
                    if probe.recv(4).startswith(b"SSH-"):
                        self.user = getpass.getuser()
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"sshd did not start: {self.log.read_text(errors='replace')[-800:]}")

    def rotate_host_key(self) -> None:
        """A reinstalled (or impersonated) server: same address, new key."""
        self.stop()
        self.host_key.unlink()
        self.host_key.with_suffix(".pub").unlink()
        self.start()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def free_tcp_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class Tarpit:
    """Accepts TCP connections and never says a word."""

    def __init__(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.address, self.port = self.listener.getsockname()

    def __enter__(self) -> Tarpit:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.listener.close()
