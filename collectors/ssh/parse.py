"""From the fact script's output to an Observation. Pure: tested on recorded servers."""

from __future__ import annotations

import ipaddress
import re
import shlex
from datetime import datetime

from collectors.observation import Disk, Filesystem, Observation
from collectors.ssh.script import sections

HYPERVISORS = {
    "kvm": "KVM",
    "qemu": "KVM",
    "vmware": "VMware",
    "microsoft": "Hyper-V",
    "xen": "Xen",
    "oracle": "VirtualBox",
    "docker": "Docker",
    "lxc": "LXC",
    "podman": "Podman",
}
_LINK = re.compile(r"^\d+:\s+(?P<name>[^:@\s]+)[^\n]*?link/ether\s+(?P<mac>[0-9a-f:]{17})")
_ADDRESS = re.compile(r"^\d+:\s+(?P<name>\S+)\s+inet6?\s+(?P<address>[0-9a-fA-F.:]+)/")
_DMIDECODE = re.compile(r"^\s*(Manufacturer|Product Name|Serial Number|UUID):\s*(.+?)\s*$")
_PORT = re.compile(r":(\d+)\s")


def _pairs(text: str) -> dict[str, str]:
    """KEY=value lines (os-release, the dmi section); quotes removed."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            try:
                found[key.strip()] = " ".join(shlex.split(value)) if value else ""
            except ValueError:
                found[key.strip()] = value.strip().strip('"')
    return found


def _os(text: str) -> tuple[str | None, str | None]:
    release = _pairs(text)
    if "NAME" in release:
        return release["NAME"], release.get("VERSION_ID") or release.get("VERSION")
    line = text.strip()  # /etc/redhat-release: "CentOS release 6.10 (Final)"
    match = re.match(r"(?P<name>.+?) release (?P<version>[\d.]+)", line)
    return (match["name"], match["version"]) if match else (line or None, None)


def _number(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def parse(output: str, address: str, credential: str, seen_at: datetime) -> Observation:
    found = sections(output)
    get = found.get
    os_name, os_version = _os(get("os_release", ""))
    observation = Observation(
        address=address,
        protocol="ssh",
        credential=credential,
        seen_at=seen_at,
        name=(get("hostname") or "").strip() or None,
        os_name=os_name,
        os_version=os_version,
        machine_id=(get("machine_id") or "").strip() or None,
        device_class="server",
    )
    _hardware(observation, get("cpuinfo", ""), get("meminfo", ""), get("disks", ""))
    _filesystems(observation, get("filesystems", ""))
    _identity(observation, _pairs(get("dmi", "")), get("dmidecode", ""))
    _network(observation, get("links", ""), get("addresses", ""))
    _runtime(observation, found)
    return observation


def _hardware(observation: Observation, cpuinfo: str, meminfo: str, disks: str) -> None:
    models = [
        line.split(":", 1)[1].strip()
        for line in cpuinfo.splitlines()
        if ":" in line and line.split(":", 1)[0].strip() in ("model name", "Model")
    ]
    processors = [line for line in cpuinfo.splitlines() if line.startswith("processor")]
    observation.cpu_count = len(processors) or None
    observation.cpu_model = models[0][:128] if models else None
    for line in meminfo.splitlines():
        if line.startswith("MemTotal:"):
            kib = _number(line.split()[1]) if len(line.split()) > 1 else None
            observation.memory_mb = kib // 1024 if kib else None
    total = 0
    for line in disks.splitlines():
        try:
            fields = dict(item.split("=", 1) for item in shlex.split(line))
        except ValueError:
            observation.value_errors.append(f"disks: unreadable line {line[:80]!r}")
            continue
        size = _number(fields.get("SIZE", "")) or 0
        if fields.get("TYPE") != "disk" or size == 0:
            continue
        total += size
        observation.disks.append(
            Disk(
                name=fields.get("NAME", "")[:64],
                size_gb=size // (1 << 30),
                model=fields.get("MODEL", "").strip()[:128] or None,
                serial=fields.get("SERIAL", "").strip()[:128] or None,
            )
        )
    observation.disk_total_gb = total // (1 << 30) if total else None


def _filesystems(observation: Observation, df: str) -> None:
    for line in df.splitlines()[1:]:  # the first is df's header
        parts = line.split()
        if len(parts) < 6 or not parts[1].isdigit() or not parts[2].isdigit():
            continue
        size_kib, used_kib = int(parts[1]), int(parts[2])
        if size_kib:
            observation.filesystems.append(
                Filesystem(
                    mount=" ".join(parts[5:])[:255],
                    size_gb=round(size_kib / (1 << 20), 1),
                    used_pct=round(100 * used_kib / size_kib, 1),
                )
            )


def _identity(observation: Observation, dmi: dict[str, str], dmidecode: str) -> None:
    observation.vendor = dmi.get("sys_vendor") or None
    observation.model = dmi.get("product_name") or None
    observation.serial_number = dmi.get("product_serial") or dmi.get("chassis_serial") or None
    observation.system_uuid = dmi.get("product_uuid") or None
    # /sys/class/dmi keeps serial and UUID for root; dmidecode through sudo fills them.
    decoded: dict[str, str] = {
        m[1]: m[2] for m in map(_DMIDECODE.match, dmidecode.splitlines()) if m
    }
    observation.vendor = decoded.get("Manufacturer") or observation.vendor
    observation.model = decoded.get("Product Name") or observation.model
    observation.serial_number = decoded.get("Serial Number") or observation.serial_number
    observation.system_uuid = decoded.get("UUID") or observation.system_uuid


def _network(observation: Observation, links: str, addresses: str) -> None:
    observation.macs = sorted(
        {m["mac"] for m in map(_LINK.match, links.splitlines()) if m and m["name"] != "lo"}
    )
    for match in map(_ADDRESS.match, addresses.splitlines()):
        if match is None:
            continue
        try:
            ip = ipaddress.ip_address(match["address"])
        except ValueError:
            continue
        if not (ip.is_loopback or ip.is_link_local) and str(ip) not in observation.addresses:
            observation.addresses.append(str(ip))


def _runtime(observation: Observation, found: dict[str, str]) -> None:
    virt = (found.get("virt") or "").strip().lower()
    if virt and virt != "unknown":
        observation.is_virtual = virt != "none"
        observation.hypervisor = HYPERVISORS.get(virt, virt) if observation.is_virtual else None
        if observation.is_virtual and virt not in ("docker", "lxc", "podman"):
            observation.device_class = "virtual_machine"
    uptime = (found.get("uptime") or "").split()
    if uptime:
        try:
            observation.uptime_seconds = int(float(uptime[0]))
        except ValueError:
            observation.value_errors.append("uptime: not a number")
    load = (found.get("loadavg") or "").split()
    if load and observation.cpu_count:
        try:
            observation.cpu_load_pct = round(
                min(100.0, 100 * float(load[0]) / observation.cpu_count), 1
            )
        except ValueError:
            observation.value_errors.append("loadavg: not a number")
    observation.logged_in_users = _number(found.get("users") or "")
    observation.listening_ports = sorted(
        {int(p) for p in _PORT.findall(found.get("listening") or "") if 0 < int(p) < 65536}
    )
