"""Operating systems named as people name them, from the numbers agents report.

Windows agents say "Windows Version 6.3 (Build 17763 ...)": the version stays
6.3 for compatibility since Windows 8.1, so the build is what tells Server 2019
from Server 2016. Microsoft's sysObjectID says which edition answered
(1.3.6.1.4.1.311.1.1.3.1.1 workstation, .2 server, .3 domain controller).
Linux kernels name their distribution in the release string. Network OSes put
model and version in sysDescr in their own wording: `EXTRACTORS` reads them,
and `MODEL_CLASSES` says which class a model name puts a device in.
"""

from __future__ import annotations

import re


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.DOTALL)


# Build -> (NT version, server release, client release); None where no such release exists.
WINDOWS_BUILDS: dict[int, tuple[str, str | None, str | None]] = {
    2195: ("5.0", "Windows 2000 Server", "Windows 2000"),
    2600: ("5.1", None, "Windows XP"),
    3790: ("5.2", "Windows Server 2003", "Windows XP x64"),
    6001: ("6.0", "Windows Server 2008", "Windows Vista"),
    6002: ("6.0", "Windows Server 2008", "Windows Vista"),
    6003: ("6.0", "Windows Server 2008", "Windows Vista"),
    7600: ("6.1", "Windows Server 2008 R2", "Windows 7"),
    7601: ("6.1", "Windows Server 2008 R2", "Windows 7"),
    9200: ("6.2", "Windows Server 2012", "Windows 8"),
    9600: ("6.3", "Windows Server 2012 R2", "Windows 8.1"),
    10240: ("10.0", None, "Windows 10 1507"),
    10586: ("10.0", None, "Windows 10 1511"),
    14393: ("10.0", "Windows Server 2016", "Windows 10 1607"),
    15063: ("10.0", None, "Windows 10 1703"),
    16299: ("10.0", None, "Windows 10 1709"),
    17134: ("10.0", None, "Windows 10 1803"),
    17763: ("10.0", "Windows Server 2019", "Windows 10 1809"),
    18362: ("10.0", None, "Windows 10 1903"),
    18363: ("10.0", None, "Windows 10 1909"),
    19041: ("10.0", None, "Windows 10 2004"),
    19042: ("10.0", None, "Windows 10 20H2"),
    19043: ("10.0", None, "Windows 10 21H1"),
    19044: ("10.0", None, "Windows 10 21H2"),
    19045: ("10.0", None, "Windows 10 22H2"),
    20348: ("10.0", "Windows Server 2022", None),
    22000: ("10.0", None, "Windows 11 21H2"),
    22621: ("10.0", None, "Windows 11 22H2"),
    22631: ("10.0", None, "Windows 11 23H2"),
    26100: ("10.0", "Windows Server 2025", "Windows 11 24H2"),
}
WINDOWS_WORKSTATION = (1, 3, 6, 1, 4, 1, 311, 1, 1, 3, 1, 1)

# Linux kernels name the distribution in their release string.
KERNEL_DISTRIBUTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\.ky\d+|kylin", re.I), "Kylin"),
    (re.compile(r"\.uel\d+|\buos\b|deepin", re.I), "UOS"),
    (re.compile(r"\.oe\d+", re.I), "openEuler"),
    (re.compile(r"\.an\d+", re.I), "Anolis"),
    (re.compile(r"\.el(\d+)", re.I), "RHEL/CentOS"),
    (re.compile(r"-generic|ubuntu", re.I), "Ubuntu"),
    (re.compile(r"-amd64|-arm64|deb\d+|\bDebian\b", re.I), "Debian"),
)


def windows_release(build: int, workstation: bool) -> tuple[str, str]:
    """(name, version) for a Windows build: ``(17763, False)`` -> Server 2019, ``10.0.17763``.

    An unknown build keeps the plain name ``Windows`` and the build number.
    """
    known = WINDOWS_BUILDS.get(build)
    if known is None:
        return "Windows", f"build {build}"
    nt_version, server, client = known
    name = (client or server) if workstation else (server or client)
    return name or "Windows", f"{nt_version}.{build}"


def linux_distribution(kernel: str) -> str:
    """The distribution a kernel release string names (``...ky10...`` -> Kylin), else Linux."""
    for pattern, name in KERNEL_DISTRIBUTIONS:
        if pattern.search(kernel):
            return name
    return "Linux"


# "Cisco IOS Software, ASR1000 Software (PPC_LINUX_IOSD-...-M)": the platform before
# "Software (" names the model; older images only name it in the image (C2950-I6K2L2Q4-M).
_IOS = {
    "model": (
        _re(r"IOS Software,\s*(\w+) Software\s+\("),
        _re(r"IOS.*?\((?:\w+-)?([\w]+?)-[\w]+-M\)"),
    ),
    "version": (_re(r"Version\s+([\w.()]+)"),),
}

# Model and version read off sysDescr, per OS (first pattern that matches; group 1).
EXTRACTORS: dict[str, dict[str, tuple[re.Pattern[str], ...]]] = {
    "VRP": {
        "model": (
            _re(r"^Huawei\s+([A-Z]{1,8}\d[\w-]*)\s+Huawei Versatile"),
            _re(r"HUAWEI\s+((?:S|CE|AR|NE|USG|Eudemon|AntiDDoS|CX|AC|AP)\d[\w-]*)"),
            _re(r"\(((?:S|CE|AR|NE|USG)\d[\w-]*)\s+V\d{3}R"),
        ),
        "version": (_re(r"Version\s+(\d+\.\d+)"),),
    },
    "Comware": {
        "model": (
            _re(r"H3C\s+(?:Switch|Router|Firewall)\s+((?:SecPath\s)?[A-Z]{1,8}\d[\w-]*)"),
            _re(r"(?:H3C|HPE?)\s+((?:FF\s+)?(?:SecPath\s?)?[A-Z]{0,8}\d[\w-]*)"),
        ),
        "version": (_re(r"Version\s+(\d+\.\d+(?:\.\d+)?)"),),
    },
    "IOS": _IOS,
    "IOS XE": _IOS,
    "CatOS": {
        "model": (_re(r"\b(WS-C\w+)"),),
        "version": (_re(r"Version\s+(\d[\d.]*\(\w+\))"),),
    },
    "IOS XR": {"version": (_re(r"Version\s+([\w.()]+)"),)},
    "YunShan OS": {
        "model": (_re(r"\(((?:S|CE|AR|NE)\d[\w-]*)\s+V\d{3}R"),),
        "version": (_re(r"Version\s+(\d+(?:\.\d+)+)"),),
    },
    "NX-OS": {"version": (_re(r"Version\s+([\w.()]+)"),)},
    "FWSM": {"version": (_re(r"Version\s+([\w.()]+)"),)},
    "ASA": {"version": (_re(r"Version\s+([\w.()]+)"),)},
    "RGOS": {
        "model": (
            _re(r"\b(RG-[\w-]+)"),
            _re(r"\(((?:S|RSR|EG|WALL|N)\d[\w-]*)\)"),
            _re(r"Ruijie\s+(?:Indoor\s+|Outdoor\s+)?(AP\d[\w-]*)"),
        ),
        "version": (_re(r"RGOS\s*([\w.()]+)"),),
    },
    "ZXROS": {
        "model": (_re(r"ZXR10\s+((?:[A-Z]+)?\d[\w-]*)"),),
        "version": (_re(r"Version:?\s*(V?\d[\w.]*)"),),
    },
    "StoneOS": {
        "model": (_re(r"(SG-6000[\w-]*)"),),
        "version": (_re(r"Version\s*(\d[\w.]*)"),),
    },
    "Junos": {
        "model": (_re(r"Juniper Networks, Inc\.\s+([\w-]+)"),),
        "version": (_re(r"JUNOS\s+([\w.-]+)"),),
    },
    "AOS": {"model": (_re(r"MN:(\w+)"),), "version": (_re(r"PF:v([\d.]+)"),)},
    "PAN-OS": {"model": (_re(r"\b(PA-\d+)"),)},
    "dcn": {"model": (_re(r"^(\S+) Device,"),), "version": (_re(r"SoftWare Version ([\w.()]+)"),)},
    "ONTAP": {"version": (_re(r"Release\s+([\w.]+)"),)},
    "AIX": {"version": (_re(r"AIX version:?\s*([\d.]+)"), _re(r"^AIX\s+\S+\s+(\d+\s+\d+)"))},
    "ProCurve": {
        "model": (_re(r"(?:HP|Aruba)\s+(J\d{4}\w*)\b"),),  # the product number
        "version": (_re(r"revision\s+([\w.]+)"),),
    },
    "iBMC": {"version": (_re(r"Version\s*([\d.]+)"),)},
}


# Which class a model name puts a device in, for rows marked by_model.
MODEL_CLASSES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Wireless controllers and access points: network gear the ledger has no class for.
    (_re(r"^(?:AC\d|AP\d|WX\d)"), "other"),
    (
        _re(r"^(?:USG|Eudemon|SecPath|F\d{3,4}\b|F\d{3,4}-|M9\d{3}|RG-WALL|SRX|vSRX|firefly)"),
        "firewall",
    ),
    (
        _re(
            r"^(?:AR\d|NE\d|MSR|SR\d|CR\d|RSR|RG-RSR|EG\d|RG-EG|M6000|T8000|ISR|ASR|"
            r"C(?:8\d\d|17\d\d|18\d\d|19\d\d|26\d\d|28\d\d|29[0-2]\d|39\d\d|72\d\d|11\d\d)\b|"
            # Catalyst 2900XL/3500XL are switches, not ISRs.
            r"C(?:8\d\d|19\d\d|29[0-2]\d|39\d\d)(?!XL)[A-Z]|"
            r"MX\d|PTX|ACX)"
        ),
        "router",
    ),
    (
        _re(r"^(?:S\d|CE\d|CloudEngine|RG-S|FF\s|EX\d|QFX|C?29[5-6]0|C?3[6-8]50|C?9[2-5]00|WS-)"),
        "switch",
    ),
)
