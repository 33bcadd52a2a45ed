"""The lab estate: agents for a few dozen machines of the sample city, served by snmpsim.

Devices are chosen from the sample ledger (so a scan matches them by serial,
UUID or MAC) plus some the ledger does not know (有物无账). Each department
gets its own loopback subnet, 127.(20+n).0.0/24, mirroring its real network;
the 保密局's agents exist too, so the scan can show it never touches them (P1).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import snmpsim

from collectors.snmp.types import Oid
from inventory.domain.choices import DeviceClass
from inventory.lab.templates import TEMPLATES, Device, render
from inventory.sample.estate import SEED, sample_rows
from inventory.sample.tables import DEPARTMENTS
from inventory.services.asset_input import AssetIn

LAB_PORT = 1161
NOT_SERVED = Oid.parse("1.3.6.1.2.1.1.9.1.2.999")
LAB_COMMUNITY = "dsj-lab-ro"
PER_DEPARTMENT = 3
CLASSIFIED_CODES = frozenset(code for code, _n, _e, classified, _l, _c in DEPARTMENTS if classified)

# Extra devices the ledger does not know: (department code, template, vendor, model).
UNREGISTERED = (
    ("D-JYJ", "cisco_switch", "Cisco", "WS-C2960X-48TS-L"),
    ("D-WJW", "ruijie_switch", "Ruijie", "RG-S5750C-28GT4XS-H"),
    ("D-WJW", "vmware_esxi", "Dell", "PowerEdge R740xd"),
    ("D-RSJ", "hillstone_firewall", "Hillstone", "SG-6000-E3960"),
    ("D-ZRZY", "zte_switch", "ZTE", "5250-28TM"),
    ("D-JTJ", "apc_ups", "APC", "Smart-UPS SRT 10000"),
    # Recorded agents served as they were recorded (see RECORDINGS).
    ("D-SCJG", "recorded:netsnmp", None, None),
    ("D-MZJ", "recorded:snmpsim-linux", None, None),
)
RECORDING_PREFIX = "recorded:"
RECORDINGS = {
    # net-snmp 5.9 on Debian 12, recorded by collectors.snmp.snmprec.record.
    "netsnmp": Path(__file__).parent / "recordings" / "netsnmp-5.9-debian12.snmprec",
    # snmpsim's own bundled walk of a Linux host.
    "snmpsim-linux": Path(snmpsim.__file__).parent
    / "data"
    / "recorded"
    / "linux-full-walk.snmprec",
}


def department_network(number: int) -> str:
    return f"127.{20 + number}.0.0/24"


def _template_for(row: AssetIn) -> str:
    vendor, os_name = row.vendor or "", row.os_name or ""
    if row.device_class is DeviceClass.SWITCH:
        return "h3c_switch"
    if row.device_class is DeviceClass.FIREWALL:
        return "huawei_firewall"
    if row.device_class is DeviceClass.STORAGE:
        return "huawei_storage"
    if vendor == "Huawei":
        return "huawei_ibmc"
    if vendor == "Dell":
        return "dell_idrac"
    if vendor == "HPE":
        return "hpe_ilo"
    return "windows" if os_name.startswith("Windows") else "linux"


def _engine_id(rng: random.Random) -> str:
    # RFC 3411 format 5 (octets), net-snmp's enterprise number.
    return "80001f8805" + "".join(f"{rng.randrange(256):02x}" for _ in range(8))


def lab_devices(seed: int = SEED) -> list[Device]:
    """The same devices for the same seed: a few per department, plus unregistered ones."""
    rows = sample_rows(random.Random(seed))  # noqa: S311 (sample data)
    rng = random.Random(seed + 1)  # noqa: S311
    numbers = {code: n for n, (code, *_rest) in enumerate(DEPARTMENTS, start=1)}
    devices: list[Device] = []
    taken: dict[str, int] = {}
    for row in rows:
        code = row.department_code or ""
        if taken.get(code, 0) >= PER_DEPARTMENT:
            continue
        slot = taken[code] = taken.get(code, 0) + 1
        template = _template_for(row)
        devices.append(
            Device(
                address=f"127.{20 + numbers[code]}.0.{9 + slot}",
                template=template,
                name=row.name or f"{code.lower()}-{slot}",
                engine_id=_engine_id(rng),
                macs=list(row.macs),
                serial=row.serial_number,
                system_uuid=row.system_uuid,
                vendor=row.vendor,
                model=row.model,
                os_name=row.os_name,
                os_version=row.os_version,
                cpu_count=row.cpu_count or 8,
                memory_mb=row.memory_mb or 32768,
                disk_gb=row.disk_total_gb or 1200,
                location=row.location or "",
                virtual=bool(row.is_virtual),
            )
        )
    for position, (code, template, vendor, model) in enumerate(UNREGISTERED):
        slot = taken[code] = taken.get(code, 0) + 1
        devices.append(
            Device(
                address=f"127.{20 + numbers[code]}.0.{9 + slot}",
                template=template,
                name=f"{code.lower().removeprefix('d-')}-new-{position + 1:02d}",
                engine_id=_engine_id(rng),
                macs=[f"5c:dd:70:{position:02x}:{rng.randrange(256):02x}:{rng.randrange(256):02x}"],
                serial=f"LAB{rng.randrange(10**8, 10**9)}",
                vendor=vendor,
                model=model,
                location="未登记设备 found in the machine room",
            )
        )
    return devices


def scan_targets(devices: Iterable[Device], port: int = LAB_PORT) -> list[str]:
    """One /27 per department that has devices: what an engineer would sweep."""
    prefixes = sorted({d.address.rsplit(".", 1)[0] for d in devices})
    return [f"{prefix}.0/27:{port}" for prefix in prefixes]


def classified_networks() -> list[str]:
    numbers = {code: n for n, (code, *_rest) in enumerate(DEPARTMENTS, start=1)}
    return [department_network(numbers[code]) for code in sorted(CLASSIFIED_CODES)]


class LabError(RuntimeError):
    """The simulator did not start; the message carries the end of its log."""


class SnmpLab:
    """snmpsim serving every device on its own loopback address, for a `with` block."""

    def __init__(
        self,
        devices: list[Device],
        port: int = LAB_PORT,
        community: str = LAB_COMMUNITY,
        workdir: Path | None = None,
    ) -> None:
        self.devices = devices
        self.port = port
        self.community = community
        self._own_dir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="inventory-lab-"))
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def log_file(self) -> Path:
        return self.workdir / "snmpsim.log"

    def write_data(self) -> None:
        data = self.workdir / "data"
        shutil.rmtree(data, ignore_errors=True)
        # snmpsim looks a v2c request's data up under the digest of its community,
        # then the transport endpoint it came in on.
        folder = data / community_digest(self.community)
        folder.mkdir(parents=True)
        # The community must have a file of its own to be accepted at all.
        (data / f"{self.community}.snmprec").write_text(
            "1.3.6.1.2.1.1.1.0|4|inventory lab: no device at this endpoint\n"
        )
        for number, device in enumerate(self.devices):
            target = folder / f"1.3.6.1.6.1.1.{number}.snmprec"
            if device.template.startswith(RECORDING_PREFIX):
                shutil.copyfile(RECORDINGS[device.template.removeprefix(RECORDING_PREFIX)], target)
                continue
            records = {**TEMPLATES[device.template](device), **device.extra}
            target.write_text(render(records))

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "inventory.lab.snmpsim_runner",
            f"--data-dir={self.workdir / 'data'}",
            f"--cache-dir={self.workdir / 'cache'}",
            f"--logging-method=file:{self.log_file}",
            "--log-level=error",
            *(f"--agent-udpv4-endpoint={d.address}:{self.port}" for d in self.devices),
        ]

    def start(self, ready_within: float = 60.0) -> None:
        self.write_data()
        environment = dict(os.environ)
        if hasattr(os, "getuid") and os.getuid() == 0:
            # It binds loopback high ports only; snmpsim refuses root unless told.
            environment["SNMPSIM_ALLOW_ROOT"] = "true"
        with (self.workdir / "stderr.log").open("wb") as stderr:
            self._process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                self.command(), stdout=subprocess.DEVNULL, stderr=stderr, env=environment
            )
        self._wait_ready(ready_within)

    def _wait_ready(self, within: float) -> None:
        import asyncio

        from collectors.credentials import SnmpCredential, SnmpVersion
        from collectors.snmp.client import SnmpEngine, SnmpError
        from collectors.targets import Target

        credential = SnmpCredential("lab", SnmpVersion.V2C, community=self.community)
        last = self.devices[-1]

        async def answers() -> bool:
            engine = SnmpEngine()
            try:
                # Any answer will do, even "no such object": the last endpoint is
                # bound, so all are; what each serves is for the tests to check.
                session = engine.session(Target(last.address, self.port), credential, 0.5, 0)
                await session.get([NOT_SERVED])
                return True
            except SnmpError:
                return False
            finally:
                engine.close()

        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise LabError(f"snmpsim exited early: {self._log_tail()}")
            if asyncio.run(answers()):
                return
            time.sleep(0.2)
        self.stop()
        raise LabError(f"snmpsim did not answer within {within:g}s: {self._log_tail()}")

    def _log_tail(self) -> str:
        texts = []
        for path in (self.workdir / "stderr.log", self.log_file):
            if path.exists():
                texts.append(path.read_text(errors="replace")[-1500:])
        return "\n".join(texts)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> SnmpLab:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def community_digest(community: str) -> str:
    """snmpsim's internal name for a community: its v2c context name."""
    return hashlib.md5(community.encode(), usedforsecurity=False).hexdigest()
