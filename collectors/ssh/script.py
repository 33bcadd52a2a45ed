"""The one script a server is asked to run: fixed, read-only, nothing interpolated.

Every section is a constant command; nothing a device or a user says ever
becomes part of it. Sections are separated by marker lines so one channel
and one round trip collect everything. Commands that need privileges run
through ``sudo -n`` only when the profile allows it, and never prompt.
"""

from __future__ import annotations

MARKER = "@@inventory:"

# /sys/class/dmi/id files, in the order printed. Most are world-readable; the
# kernel keeps product_serial, product_uuid, board_serial and chassis_serial for
# root (mode 0400), so a login without privilege sees them as unreadable.
DMI_FIELDS = (
    "sys_vendor",
    "product_name",
    "product_version",
    "product_family",
    "product_sku",
    "product_serial",
    "product_uuid",
    "board_vendor",
    "board_name",
    "board_version",
    "board_serial",
    "board_asset_tag",
    "chassis_vendor",
    "chassis_type",
    "chassis_serial",
    "chassis_asset_tag",
    "bios_vendor",
    "bios_version",
    "bios_date",
)
ROOT_ONLY_DMI = ("product_serial", "product_uuid", "board_serial", "chassis_serial")
# Block-device attributes read from sysfs: what old lsblk cannot print (CentOS 6's
# util-linux-ng 2.17 has no SERIAL or WWN column) and what groups multipath paths.
BLOCK_FIELDS = (
    "size",
    "removable",
    "device/type",
    "device/vendor",
    "device/model",
    "device/serial",
    "serial",
    "wwid",
    "device/wwid",
    "dm/name",
    "dm/uuid",
)

# Present: "name=value"; present but unreadable: "!unreadable name"; no DMI at all:
# "!absent". Values are printed by cat, never evaluated.
_DMI = (
    "if [ -d /sys/class/dmi/id ]; then cd /sys/class/dmi/id && for f in "
    + " ".join(DMI_FIELDS)
    + '; do if [ -r "$f" ]; then printf "%s=" "$f"; cat "$f" 2>/dev/null || echo; '
    'elif [ -e "$f" ]; then echo "!unreadable $f"; fi; done; '
    "else echo '!absent /sys/class/dmi/id'; fi"
)
# "<device> <attribute> <value>" per line, control characters removed; one
# "<device> slave <path device>" line per member of a device-mapper device.
_BLOCK = (
    "cd /sys/block && for d in *; do for f in "
    + " ".join(BLOCK_FIELDS)
    + '; do [ -r "$d/$f" ] && printf "%s %s %s\\n" "$d" "$f" '
    '"$(head -c 256 "$d/$f" 2>/dev/null | tr -d \'\\000-\\037\')"; done; '
    'for s in "$d"/slaves/*; do [ -e "$s" ] && printf "%s slave %s\\n" "$d" "${s##*/}"; '
    "done; done"
)
# dmidecode's first stderr line (not installed, not permitted) is kept as "!error".
_DMIDECODE = "dmidecode -t 0 -t 1 -t 2 -t 3 2>&1 1>&3 | sed -n '1s/^/!error /p'"

# name -> command. Read-only; each falls back quietly where a tool is missing.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("hostname", "hostname"),
    (
        "os_release",
        # os-release(5): /etc first, then /usr/lib; CentOS 6 and SLES 11 SP3 have
        # only their own release files.
        "cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null || "
        "cat /etc/redhat-release 2>/dev/null || cat /etc/SuSE-release 2>/dev/null || "
        "cat /etc/system-release",
    ),
    ("kernel", "uname -srm"),
    ("login", "id -u"),
    ("machine_id", "cat /etc/machine-id 2>/dev/null || cat /var/lib/dbus/machine-id"),
    ("cpuinfo", "grep -E '^(model name|processor|Model)' /proc/cpuinfo"),
    ("meminfo", "grep -E '^(MemTotal|MemAvailable):' /proc/meminfo"),
    (
        "disks",
        "lsblk -b -d -n -P -o NAME,SIZE,TYPE,MODEL,SERIAL,WWN 2>/dev/null || "
        "lsblk -b -d -n -P -o NAME,SIZE,TYPE,MODEL,SERIAL",
    ),
    ("block", _BLOCK),
    ("filesystems", "df -P -k -x tmpfs -x devtmpfs -x overlay -x squashfs"),
    ("addresses", "ip -o addr show"),
    ("links", "ip -o link show"),
    ("dmi", _DMI),
    ("virt", "systemd-detect-virt 2>/dev/null || echo unknown"),
    ("uptime", "cat /proc/uptime"),
    ("loadavg", "cat /proc/loadavg"),
    ("users", "who | wc -l"),
    ("listening", "ss -H -tln 2>/dev/null || netstat -tln"),
)
# dmidecode reads the whole table (the UUID's SMBIOS version included): directly
# when the login is root, through `sudo -n` (never a prompt) only where the
# profile allows it. "!reader" says which, so a missing value can say why.
DMIDECODE_ROOT_ONLY = (
    "dmidecode",
    "if [ \"$(id -u)\" = 0 ]; then echo '!reader root'; { " + _DMIDECODE + "; } 3>&1; "
    "else echo '!reader none'; fi",
)
DMIDECODE_WITH_SUDO = (
    "dmidecode",
    "if [ \"$(id -u)\" = 0 ]; then echo '!reader root'; { " + _DMIDECODE + "; } 3>&1; "
    "else echo '!reader sudo'; { sudo -n " + _DMIDECODE + "; } 3>&1; fi",
)


def script(allow_sudo: bool = False) -> str:
    """The whole script, one of two constant texts: with or without `sudo -n`."""
    parts = []
    dmidecode = DMIDECODE_WITH_SUDO if allow_sudo else DMIDECODE_ROOT_ONLY
    for name, command in (*SECTIONS, dmidecode):
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
