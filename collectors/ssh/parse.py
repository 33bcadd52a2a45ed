"""From the fact script's output to an Observation. Pure: tested on recorded servers."""

from __future__ import annotations

import ipaddress
import re
import shlex
from datetime import datetime

from collectors.observation import Filesystem, Observation
from collectors.ssh import disks, hardware
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
_PORT = re.compile(r":(\d+)\s")
EXPECTED = ("hostname", "os_release", "kernel", "cpuinfo", "meminfo", "disks", "dmi")


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
    """os-release(5), else a release file's one line, else SuSE-release's three."""
    release = _pairs(text)
    if release.get("NAME"):
        return release["NAME"], release.get("VERSION_ID") or release.get("VERSION")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None, None
    # /etc/redhat-release: "CentOS release 6.10 (Final)"; UOS: "uos release 20 (fuyu)"
    match = re.match(r"(?P<name>.+?) release (?P<version>[\w.]+)", lines[0])
    if match:
        return match["name"], match["version"]
    # /etc/SuSE-release: "SUSE Linux Enterprise Server 11 (x86_64)", VERSION, PATCHLEVEL
    version, patch = release.get("VERSION"), release.get("PATCHLEVEL")
    if version:
        name = re.sub(rf"\s*\b{re.escape(version)}\b.*$", "", lines[0]) or lines[0]
        return name, f"{version}.{patch}" if patch and patch != "0" else version
    return lines[0][:128], None


def _number(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def parse(output: str, address: str, credential: str, seen_at: datetime) -> Observation:
    """The fact script's output as an Observation; what could not be read is a value error."""
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
    _hardware(observation, get("cpuinfo", ""), get("meminfo", ""))
    disks.apply(observation, get("disks", ""), get("block", ""))
    _filesystems(observation, get("filesystems", ""))
    _network(observation, get("links", ""), get("addresses", ""))
    _runtime(observation, found)
    kernel = (get("kernel") or "").split()
    hardware.apply(
        observation, get("dmi", ""), get("dmidecode", ""), kernel[1] if len(kernel) > 1 else ""
    )
    _expected(observation, found)
    return observation


def _expected(observation: Observation, found: dict[str, str]) -> None:
    """Sections every Linux server answers: their absence is an error, never silence."""
    missing = [name for name in EXPECTED if name not in found]
    if missing:
        observation.value_errors.append(f"output cut short: no {', '.join(missing)} section")
    if observation.os_name is None and "os_release" in found:
        observation.value_errors.append(
            "os: no release file read (/etc/os-release, /usr/lib/os-release, "
            "/etc/redhat-release, /etc/SuSE-release, /etc/system-release)"
        )
    if observation.memory_mb is None and "meminfo" in found:
        observation.value_errors.append("memory: /proc/meminfo gave no MemTotal")


def _hardware(observation: Observation, cpuinfo: str, meminfo: str) -> None:
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
