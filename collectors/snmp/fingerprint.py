"""Fingerprinting rules as data: vendor, device class, OS and model from what agents say.

Rules are tried by priority; the first whose sysObjectID prefix and sysDescr
pattern both match wins. Named groups ``version`` and ``model`` in a pattern
fill those fields. Add a device by adding a row, and a recorded sample to the
tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from collectors.snmp.types import Oid

ENTERPRISE_PREFIX = (1, 3, 6, 1, 4, 1)

# IANA private enterprise numbers of the vendors common in government estates.
ENTERPRISES: dict[int, str] = {
    2: "IBM",
    9: "Cisco",
    11: "HPE",
    43: "H3C",  # 3Com, whose product line became H3C's
    232: "HPE",
    311: "Microsoft",
    318: "APC",
    534: "Eaton",
    674: "Dell",
    789: "NetApp",
    1139: "Dell EMC",
    2011: "Huawei",
    2021: "net-snmp",
    2636: "Juniper",
    3902: "ZTE",
    4881: "Ruijie",
    6876: "VMware",
    8072: "net-snmp",
    10876: "Supermicro",
    12356: "Fortinet",
    19046: "Lenovo",
    25506: "H3C",
    28557: "Hillstone",
    37945: "Inspur",
    47196: "HPE",
}

# Vendors whose name in sysDescr is more reliable than the agent's enterprise
# (whitebox BMCs and Linux appliances answer with net-snmp's number).
VENDOR_WORDS: tuple[tuple[str, str], ...] = (
    ("inspur", "Inspur"),
    ("sugon", "Sugon"),
    ("dawning", "Sugon"),
    ("lenovo", "Lenovo"),
    ("thinksystem", "Lenovo"),
    ("huawei", "Huawei"),
    ("h3c", "H3C"),
    ("ruijie", "Ruijie"),
    ("hillstone", "Hillstone"),
    ("zxr10", "ZTE"),
    ("zte", "ZTE"),
)

# The first three octets of a MAC that a hypervisor hands its guests.
VIRTUAL_MAC_PREFIXES: dict[str, str] = {
    "00:50:56": "VMware",
    "00:0c:29": "VMware",
    "00:05:69": "VMware",
    "52:54:00": "KVM",
    "00:16:3e": "Xen",
    "00:15:5d": "Hyper-V",
    "fa:16:3e": "OpenStack",
    "00:1c:42": "Parallels",
    "08:00:27": "VirtualBox",
}


@dataclass(frozen=True)
class Rule:
    name: str
    device_class: str
    os_name: str | None = None
    object_id: tuple[int, ...] | None = None
    descr: re.Pattern[str] | None = None
    vendor: str | None = None  # overrides the enterprise number's vendor
    priority: int = 50
    # An operating system's agent names the software's maker, not the machine's,
    # and its version is read off a release string: a guess, not a statement.
    os_agent: bool = False


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.DOTALL)


def _oid(dotted: str) -> tuple[int, ...]:
    return tuple(Oid.parse(dotted))


RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            # Management controllers first: they share enterprise numbers with servers.
            Rule("dell-idrac", "bmc", "iDRAC", _oid("1.3.6.1.4.1.674.10892.5"), priority=10),
            Rule("dell-drac", "bmc", "iDRAC", _oid("1.3.6.1.4.1.674.10892.2"), priority=10),
            Rule(
                "dell-oob",
                "bmc",
                "iDRAC",
                descr=_re(r"Dell Out-of-band SNMP Agent"),
                vendor="Dell",
                priority=11,
            ),
            Rule(
                "hpe-ilo",
                "bmc",
                "iLO",
                descr=_re(r"Integrated Lights-Out\s*(?P<version>\d+(?:\s+[\d.]+)?)"),
                vendor="HPE",
                priority=10,
            ),
            Rule(
                "huawei-ibmc",
                "bmc",
                "iBMC",
                _oid("1.3.6.1.4.1.2011.2.235"),
                _re(r"(?:.*?Version\s*(?P<version>[\d.]+))?"),
                priority=10,
            ),
            Rule(
                "lenovo-xcc",
                "bmc",
                "XClarity Controller",
                descr=_re(r"XClarity Controller|\bXCC\b|\bIMM2?\b"),
                vendor="Lenovo",
                priority=12,
            ),
            Rule(
                "inspur-bmc",
                "bmc",
                "Inspur BMC",
                descr=_re(r"Inspur.*?(?P<model>N[FE]\d{4}M\d)|Inspur.*BMC"),
                vendor="Inspur",
                priority=12,
            ),
            Rule(
                "sugon-bmc",
                "bmc",
                "Sugon BMC",
                descr=_re(r"(?:Sugon|Dawning)(?:.*?(?P<model>[A-Z]\d{3,4}-G\d{2}))?"),
                vendor="Sugon",
                priority=13,
            ),
            Rule("supermicro-bmc", "bmc", "IPMI", _oid("1.3.6.1.4.1.10876"), vendor="Supermicro"),
            # Hypervisors.
            Rule(
                "vmware-esxi",
                "hypervisor",
                "VMware ESXi",
                descr=_re(r"VMware ESXi?\s+(?P<version>[\d.]+)"),
                priority=20,
                os_agent=True,
            ),
            # Network operating systems.
            Rule(
                "huawei-firewall",
                "firewall",
                "VRP",
                _oid("1.3.6.1.4.1.2011"),
                _re(
                    r"(?:USG|Eudemon)(?P<model>[\w-]*).*?Version (?P<version>[\d.]+)|"
                    r"Version (?P<version2>[\d.]+).*?(?:HUAWEI\s+)?(?:USG|Eudemon)"
                ),
                priority=30,
            ),
            Rule(
                "huawei-router",
                "router",
                "VRP",
                _oid("1.3.6.1.4.1.2011"),
                _re(r"Version (?P<version>[\d.]+).*?HUAWEI\s+(?P<model>(?:AR|NE)\d[\w-]*)"),
                priority=31,
            ),
            Rule(
                "huawei-switch",
                "switch",
                "VRP",
                _oid("1.3.6.1.4.1.2011"),
                _re(
                    r"Version (?P<version>[\d.]+).*?HUAWEI\s+"
                    r"(?P<model>(?:S|CE|CloudEngine\s?)\d[\w-]*)"
                ),
                priority=32,
            ),
            Rule(
                "huawei-storage",
                "storage",
                "OceanStor OS",
                descr=_re(
                    r"OceanStor\s+(?P<model>[\w-]+(?: V\d\b)?)(?:.*?(?P<version>V\d{3}R\d{3}\w*))?"
                ),
                vendor="Huawei",
                priority=33,
            ),
            Rule(
                "huawei-ups",
                "ups",
                None,
                descr=_re(r"(?P<model>UPS\d{4}[\w-]*)"),
                vendor="Huawei",
                priority=34,
            ),
            Rule(
                "huawei-vrp",
                "switch",
                "VRP",
                descr=_re(r"Versatile Routing Platform.*?Version (?P<version>[\d.]+)"),
                vendor="Huawei",
                priority=39,
            ),
            Rule(
                "h3c-firewall",
                "firewall",
                "Comware",
                descr=_re(
                    r"Comware.*?Version (?P<version>[\d.]+).*?(?:H3C\s+)?"
                    r"(?P<model>SecPath[\w -]*|F\d{3,4}[\w-]*)"
                ),
                vendor="H3C",
                priority=30,
            ),
            Rule(
                "h3c-router",
                "router",
                "Comware",
                descr=_re(
                    r"Comware.*?Version (?P<version>[\d.]+).*?H3C\s+"
                    r"(?P<model>(?:MSR|SR|CR)\d[\w-]*)"
                ),
                vendor="H3C",
                priority=31,
            ),
            Rule(
                "h3c-switch",
                "switch",
                "Comware",
                descr=_re(
                    r"Comware.*?Version (?P<version>[\d.]+)(?:.*?H3C\s+(?P<model>S\d[\w-]*))?"
                ),
                vendor="H3C",
                priority=32,
            ),
            Rule(
                "cisco-asa",
                "firewall",
                "ASA",
                _oid("1.3.6.1.4.1.9"),
                _re(r"Adaptive Security Appliance Version (?P<version>[\w.()]+)"),
                priority=30,
            ),
            Rule(
                "cisco-router",
                "router",
                "IOS",
                _oid("1.3.6.1.4.1.9"),
                _re(
                    r"IOS.*?\b(?:ISR|ASR\d*|(?P<model>C(?:8\d\d|19\d\d|29[0-2]\d|39\d\d)\w*))"
                    r" Software.*?Version (?P<version>[\w.()]+)"
                ),
                priority=31,
            ),
            Rule(
                "cisco-nxos",
                "switch",
                "NX-OS",
                _oid("1.3.6.1.4.1.9"),
                _re(r"NX-OS.*?Version (?P<version>[\w.()]+)"),
                priority=31,
            ),
            Rule(
                "cisco-ios",
                "switch",
                "IOS",
                _oid("1.3.6.1.4.1.9"),
                _re(
                    r"IOS.*?\((?P<model>[\w-]+?)-[\w]+-M\).*?Version (?P<version>[\w.()]+)|"
                    r"Version (?P<version2>[\w.()]+)"
                ),
                priority=35,
            ),
            Rule(
                "ruijie-firewall",
                "firewall",
                "RGOS",
                _oid("1.3.6.1.4.1.4881"),
                _re(r"(?P<model>RG-WALL[\w-]*)"),
                priority=30,
            ),
            Rule(
                "ruijie-router",
                "router",
                "RGOS",
                _oid("1.3.6.1.4.1.4881"),
                _re(r"(?P<model>RG-RSR[\w-]*)"),
                priority=31,
            ),
            Rule(
                "ruijie-switch",
                "switch",
                "RGOS",
                _oid("1.3.6.1.4.1.4881"),
                _re(r"(?:.*?(?P<model>RG-S[\w-]*))?.*?RGOS\s*(?P<version>[\w.()]+)?"),
                priority=32,
            ),
            Rule(
                "zte-zxr10",
                "switch",
                "ZXROS",
                descr=_re(
                    r"ZXR10.*?Version\s*(?P<version>V?[\w.]+)(?:.*?ZXR10\s+(?P<model>[\w-]+))?"
                ),
                vendor="ZTE",
                priority=32,
            ),
            Rule(
                "hillstone-stoneos",
                "firewall",
                "StoneOS",
                descr=_re(
                    r"StoneOS.*?Version\s*(?P<version>[\w.]+)(?:.*?(?P<model>SG-6000[\w-]*))?"
                ),
                vendor="Hillstone",
                priority=30,
            ),
            # UPS and storage.
            Rule(
                "apc-ups",
                "ups",
                "AOS",
                _oid("1.3.6.1.4.1.318"),
                _re(r"(?:.*?PF:v(?P<version>[\d.]+))?"),
            ),
            Rule("eaton-ups", "ups", None, _oid("1.3.6.1.4.1.534")),
            Rule(
                "netapp",
                "storage",
                "ONTAP",
                _oid("1.3.6.1.4.1.789"),
                _re(r"(?:.*?Release (?P<version>[\w.]+))?"),
            ),
            # Servers by operating system.
            Rule(
                "windows",
                "server",
                "Windows",
                _oid("1.3.6.1.4.1.311"),
                _re(r"Windows(?: \S+)? Version (?P<version>[\d.]+)(?:.*?Build (?P<build>\d+))?"),
                priority=60,
                os_agent=True,
            ),
            Rule(
                "linux",
                "server",
                "Linux",
                descr=_re(r"^Linux\s+\S+\s+(?P<version>\S+)"),
                priority=70,
                os_agent=True,
            ),
            Rule(
                "unix",
                "server",
                None,
                descr=_re(r"^(?P<os>SunOS|AIX|HP-UX|FreeBSD)\s+\S+\s+(?P<version>\S+)"),
                priority=71,
            ),
        ),
        key=lambda rule: rule.priority,
    )
)

# Linux kernels name the distribution in their release string.
KERNEL_DISTRIBUTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\.ky\d+|kylin", re.I), "Kylin"),
    (re.compile(r"\.uel\d+|\buos\b|deepin", re.I), "UOS"),
    (re.compile(r"\.oe\d+", re.I), "openEuler"),
    (re.compile(r"\.an\d+", re.I), "Anolis"),
    (re.compile(r"\.el(\d+)", re.I), "RHEL/CentOS"),
    (re.compile(r"-generic|ubuntu", re.I), "Ubuntu"),
    (re.compile(r"-amd64|-arm64|deb\d+", re.I), "Debian"),
)


@dataclass(frozen=True)
class Fingerprint:
    vendor: str | None  # the hardware's maker, when the agent tells it
    device_class: str
    os_name: str | None
    os_version: str | None
    model: str | None
    rule: str
    os_inferred: bool = False


def enterprise_of(object_id: Oid | None) -> int | None:
    if object_id is None or not object_id.startswith(ENTERPRISE_PREFIX) or len(object_id) < 7:
        return None
    return object_id[6]


def vendor_of(object_id: Oid | None, descr: str | None) -> str | None:
    number = enterprise_of(object_id)
    vendor = ENTERPRISES.get(number) if number is not None else None
    if vendor in (None, "net-snmp") and descr:
        lowered = descr.casefold()
        for word, name in VENDOR_WORDS:
            if word in lowered:
                return name
    # net-snmp is the agent's maker, not the machine's.
    return None if vendor == "net-snmp" else vendor


def _group(match: re.Match[str], *names: str) -> str | None:
    groups = match.groupdict()
    for name in names:
        if groups.get(name):
            return groups[name].strip()
    return None


def fingerprint(object_id: Oid | None, descr: str | None) -> Fingerprint:
    """The best rule for this sysObjectID and sysDescr; ``other`` when none fits."""
    text = descr or ""
    vendor = vendor_of(object_id, descr)
    for rule in RULES:
        if rule.object_id is not None and (
            object_id is None or not object_id.startswith(rule.object_id)
        ):
            continue
        match = rule.descr.search(text) if rule.descr is not None else None
        if rule.descr is not None and match is None:
            continue
        version = _group(match, "version", "version2") if match else None
        model = _group(match, "model") if match else None
        os_name = rule.os_name or (_group(match, "os") if match else None)
        if rule.name == "linux" and version:
            os_name = linux_distribution(version)
        if rule.name == "windows" and match and match.groupdict().get("build"):
            version = f"{version} build {match.group('build')}"
        return Fingerprint(
            None if rule.os_agent else rule.vendor or vendor,
            rule.device_class,
            os_name,
            version,
            model,
            rule.name,
            os_inferred=rule.os_agent and rule.name != "vmware-esxi",
        )
    return Fingerprint(
        vendor, "other" if object_id or descr else "unknown", None, None, None, "none"
    )


def linux_distribution(kernel: str) -> str:
    for pattern, name in KERNEL_DISTRIBUTIONS:
        if pattern.search(kernel):
            return name
    return "Linux"


def hypervisor_of_mac(mac: str) -> str | None:
    return VIRTUAL_MAC_PREFIXES.get(mac[:8].lower())
