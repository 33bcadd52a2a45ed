"""The one script a server is asked to run: fixed, read-only, nothing interpolated.

Every section is a constant command; nothing a device or a user says ever
becomes part of it. Sections are separated by marker lines so one channel
and one round trip collect everything. Commands that need privileges run
through ``sudo -n`` only when the profile allows it, and never prompt.
"""

from __future__ import annotations

MARKER = "@@inventory:"

# name -> command. Read-only; each falls back quietly where a tool is missing.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("hostname", "hostname"),
    ("os_release", "cat /etc/os-release 2>/dev/null || cat /etc/redhat-release"),
    ("kernel", "uname -srm"),
    ("machine_id", "cat /etc/machine-id 2>/dev/null || cat /var/lib/dbus/machine-id"),
    ("cpuinfo", "grep -E '^(model name|processor|Model)' /proc/cpuinfo"),
    ("meminfo", "grep -E '^(MemTotal|MemAvailable):' /proc/meminfo"),
    ("disks", "lsblk -b -d -n -P -o NAME,SIZE,TYPE,MODEL,SERIAL"),
    ("filesystems", "df -P -k -x tmpfs -x devtmpfs -x overlay -x squashfs"),
    ("addresses", "ip -o addr show"),
    ("links", "ip -o link show"),
    (
        "dmi",
        "cd /sys/class/dmi/id 2>/dev/null && for f in sys_vendor product_name "
        "product_serial product_uuid board_serial chassis_serial; do "
        'printf "%s=" "$f"; cat "$f" 2>/dev/null || echo; done',
    ),
    ("virt", "systemd-detect-virt 2>/dev/null || echo unknown"),
    ("uptime", "cat /proc/uptime"),
    ("loadavg", "cat /proc/loadavg"),
    ("users", "who | wc -l"),
    ("listening", "ss -H -tln 2>/dev/null || netstat -tln"),
)
SUDO_SECTIONS: tuple[tuple[str, str], ...] = (("dmidecode", "sudo -n dmidecode -t system"),)


def script(allow_sudo: bool = False) -> str:
    parts = []
    for name, command in (*SECTIONS, *(SUDO_SECTIONS if allow_sudo else ())):
        parts.append(f"echo '{MARKER}{name}'; ( {command} ) 2>/dev/null")
    return "; ".join(parts) + "\n"


def sections(output: str) -> dict[str, str]:
    """Split the script's output back into its sections."""
    found: dict[str, str] = {}
    name: str | None = None
    lines: list[str] = []
    for line in output.splitlines():
        if line.startswith(MARKER):
            if name is not None:
                found[name] = "\n".join(lines)
            name, lines = line[len(MARKER) :].strip(), []
        elif name is not None:
            lines.append(line)
    if name is not None:
        found[name] = "\n".join(lines)
    return found
