"""The lab's Linux servers over SSH: the fact script answered from each device's data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import paramiko

from collectors.smbios import swap_uuid_fields
from collectors.ssh.script import MARKER
from inventory.lab.replay_ssh import ReplayServer
from inventory.lab.templates import KERNELS, Device

LAB_SSH_PORT = 2222
LAB_SSH_USER = "inventory"
LAB_SSH_PASSWORD = "lab-ssh-Pass-1"  # noqa: S105 (a lab account on loopback)


def render_facts(device: Device) -> str:
    """What the fact script would print on this device."""
    kernel = next(
        (k for word, k in KERNELS.items() if word in (device.os_name or "")),
        KERNELS["CentOS Linux 7"],
    )
    machine_id = hashlib.md5(device.engine_id.encode(), usedforsecurity=False).hexdigest()
    cpu = "\n".join(
        f"processor\t: {n}\nmodel name\t: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz"
        for n in range(device.cpu_count)
    )
    links = "\n".join(
        f"{n + 2}: eth{n}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP\\    "
        f"link/ether {mac} brd ff:ff:ff:ff:ff:ff"
        for n, mac in enumerate(device.macs)
    )
    sections = {
        "hostname": device.name,
        "os_release": f'NAME="{device.os_name}"\nVERSION_ID="{device.os_version or ""}"',
        "kernel": f"Linux {kernel} x86_64",
        "machine_id": machine_id,
        "cpuinfo": cpu,
        "meminfo": f"MemTotal:       {device.memory_mb * 1024} kB",
        "disks": f'NAME="sda" SIZE="{device.disk_gb << 30}" TYPE="disk" MODEL="" SERIAL=""',
        "addresses": f"2: eth0    inet {device.address}/24 scope global eth0",
        "links": "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\\    link/loopback "
        "00:00:00:00:00:00 brd 00:00:00:00:00:00\n" + links,
        "login": "0",  # the lab's account is root: dmidecode runs directly
        "dmi": _dmi(device, kernel),
        "virt": "vmware" if device.virtual else "none",
        "uptime": "8640000.00 17000000.00",
        "loadavg": "0.20 0.15 0.10 1/200 1234",
        "users": "1",
        "listening": "LISTEN 0 128 0.0.0.0:22 0.0.0.0:*",
        "dmidecode": _dmidecode(device),
    }
    return "".join(f"{MARKER}{name}\n{text}\n" for name, text in sections.items())


def has_smbios(device: Device) -> bool:
    """Kylin servers stand for ARM boards booted from a device tree: no SMBIOS at all.

    Phytium and early Kunpeng firmware shipped without SMBIOS tables; Linux then
    has no /sys/class/dmi and dmidecode finds no entry point. The scan records a
    value error for them, which is what the demo shows.
    """
    return not (device.os_name or "").startswith("Kylin")


def _dmi(device: Device, kernel: str) -> str:
    if not has_smbios(device):
        return "!absent /sys/class/dmi/id"
    uuid = device.system_uuid or ""
    if uuid and kernel.startswith("2.6."):
        uuid = swap_uuid_fields(uuid).upper()  # CentOS 6's kernel prints the stored order
    return (
        f"sys_vendor={device.vendor or ''}\nproduct_name={device.model or ''}\n"
        f"product_serial={device.serial or ''}\nproduct_uuid={uuid}\nchassis_type=23"
    )


def _dmidecode(device: Device) -> str:
    """dmidecode 3.3's rendering of the system record (SMBIOS 3.0: UUID in 2.6 order)."""
    if not has_smbios(device):
        return "!reader root\n# dmidecode 3.3\n# No SMBIOS nor DMI entry point found, sorry."
    return (
        "!reader root\n# dmidecode 3.3\nGetting SMBIOS data from sysfs.\n"
        "SMBIOS 3.0.0 present.\n\nHandle 0x0001, DMI type 1, 27 bytes\nSystem Information\n"
        f"\tManufacturer: {device.vendor or ''}\n\tProduct Name: {device.model or ''}\n"
        f"\tSerial Number: {device.serial or ''}\n\tUUID: {device.system_uuid or ''}\n"
    )


def lab_host_key(path: Path) -> paramiko.PKey:
    """A lab server's host key, kept so that a rerun sees the key it trusted."""
    if path.exists():
        return paramiko.ECDSAKey.from_private_key_file(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = paramiko.ECDSAKey.generate()
    key.write_private_key_file(str(path))
    return key


class SshLab:
    """A replaying SSH server for each Linux device of the lab, for a `with` block.

    Each server has its own host key, kept in `key_dir` so that a rerun sees the
    key it trusted: real servers do not share keys, and a key shared by twelve
    machines is no evidence of which one answered.
    """

    def __init__(self, devices: list[Device], key_dir: Path, port: int = LAB_SSH_PORT) -> None:
        self.servers = [
            ReplayServer(
                username=LAB_SSH_USER,
                password=LAB_SSH_PASSWORD,
                address=device.address,
                port=port,
                exec_reply=render_facts(device),
                host_key=lab_host_key(key_dir / f"{device.address}.key"),
            )
            for device in devices
            if device.template == "linux"
        ]

    def __enter__(self) -> SshLab:
        for server in self.servers:
            server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers:
            server.__exit__(*exc)
