"""IANA private enterprise numbers (1.3.6.1.4.1.N) and one spelling per maker.

The number in a sysObjectID names whoever wrote the agent's MIB: usually the
device's maker, sometimes the maker of its management firmware (ATEN for
Supermicro's BMCs) and, for net-snmp, nobody in particular. Every number below
was checked against the IANA registry text ("SMI Network Management Private
Enterprise Codes", as Wireshark's ``epan/sminmpec.c`` carries it; 43 excepted,
3Com's long-known number); the registry name is in the comment where it differs
from the vendor we file the device under. Chinese makers whose numbers could not
be checked (Sangfor, Topsec, Venustech, DPtech, Maipu, DCN, Inspur, Sugon,
Hikvision, Dahua) are not guessed: their devices fall back to sysDescr rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Enterprise:
    """The vendor a number stands for, and the class its devices have unless a rule says more."""

    vendor: str
    device_class: str | None = None


ENTERPRISES: dict[int, Enterprise] = {
    2: Enterprise("IBM"),
    9: Enterprise("Cisco"),  # ciscoSystems
    11: Enterprise("HPE"),  # Hewlett-Packard: ProCurve/Aruba switches, HP-UX, printers
    43: Enterprise("H3C"),  # 3Com, whose product line H3C carried on
    232: Enterprise("HPE", "server"),  # Compaq: ProLiant Insight agents, iLO
    311: Enterprise("Microsoft"),
    318: Enterprise("APC", "ups"),  # American Power Conversion Corp.
    343: Enterprise("Intel"),
    476: Enterprise("Vertiv", "ups"),  # Emerson Computer Power (Liebert)
    534: Enterprise("Eaton", "ups"),  # Powerware, now Eaton
    674: Enterprise("Dell"),
    705: Enterprise("Eaton", "ups"),  # Merlin Gerin (MGE UPS), whose UPS line Eaton took over
    789: Enterprise("NetApp", "storage"),  # Network Appliance Corporation
    1139: Enterprise("Dell EMC", "storage"),  # EMC Corporation
    2011: Enterprise("Huawei"),  # HUAWEI Technology Co.,Ltd
    2636: Enterprise("Juniper"),  # Juniper Networks, Inc.
    3375: Enterprise("F5", "appliance"),  # F5 Networks, Inc.
    3902: Enterprise("ZTE", "switch"),  # ZTE Corporation
    5651: Enterprise("Maipu"),  # Maipu Electric Industrial Co., Ltd
    6339: Enterprise("DCN"),  # Digital China (Shanghai) Networks Ltd.
    4881: Enterprise("Ruijie", "switch"),  # Start Network Technology (Star-Net, Ruijie's)
    6574: Enterprise("Synology", "storage"),
    6876: Enterprise("VMware"),
    10876: Enterprise("Supermicro", "bmc"),  # Super Micro Computer Inc.
    11863: Enterprise("TP-Link"),  # TP-Link Technology Co.,Ltd
    14331: Enterprise("Topsec", "firewall"),  # Beijing Topsec Network Security Technology Co., Ltd.
    15227: Enterprise("Venustech"),  # Venus Info Tech Inc.
    12356: Enterprise("Fortinet", "firewall"),
    19046: Enterprise("Lenovo"),  # Lenovo Enterprise Business Group
    20974: Enterprise("AMI", "bmc"),  # American Megatrends, Inc (MegaRAC BMC firmware)
    21317: Enterprise("Supermicro", "bmc"),  # ATEN International: Supermicro's BMC firmware
    24681: Enterprise("QNAP", "storage"),  # QNAP Systems, Inc.
    25461: Enterprise("Palo Alto Networks", "firewall"),
    25506: Enterprise("H3C"),
    28557: Enterprise("Hillstone", "firewall"),  # Hillstone Networks
    31648: Enterprise("DPtech"),  # HANGZHOU DPTECH Technologies Co., Ltd.
    35047: Enterprise("Sangfor"),  # Sangfor Technologies Co.,Ltd.
    37945: Enterprise("Inspur"),  # Inspur(BeiJing) Electronic Information Industry Co.,Ltd
    39165: Enterprise("Hikvision"),  # Hikvision Digital Technology Co., Ltd.
}

# Agents whose number names the agent's software, not the machine: net-snmp
# (8072) and its ancestor UCD-SNMP (2021, University of California, Davis).
# Linux servers, NAS appliances and most BMCs answer with these; their vendor
# MIBs (probed, see fingerprint_probes) or sysDescr say what the machine is.
GENERIC_AGENTS = frozenset({2021, 8072})

# Names agents and firmware give their maker, lowercased with corporate
# suffixes removed (see `_key`), to the one spelling the ledger uses.
VENDOR_ALIASES: dict[str, str] = {
    "hp": "HPE",
    "hpe": "HPE",
    "hewlett packard": "HPE",
    "hewlett packard enterprise": "HPE",
    "compaq": "HPE",
    "h3c": "H3C",
    "new h3c": "H3C",
    "hangzhou h3c": "H3C",
    "huawei": "Huawei",
    "xfusion": "xFusion",
    "dell": "Dell",
    "dell emc": "Dell EMC",
    "emc": "Dell EMC",
    "inspur": "Inspur",
    "sugon": "Sugon",
    "dawning": "Sugon",
    "lenovo": "Lenovo",
    "ibm": "IBM",
    "cisco": "Cisco",
    "ruijie": "Ruijie",
    "red giant": "Ruijie",
    "zte": "ZTE",
    "hillstone": "Hillstone",
    "supermicro": "Supermicro",
    "super micro": "Supermicro",
    "vmware": "VMware",
    "microsoft": "Microsoft",
    "apc": "APC",
    "american power conversion": "APC",
    "schneider electric": "APC",
    "eaton": "Eaton",
    "emerson": "Vertiv",
    "liebert": "Vertiv",
    "vertiv": "Vertiv",
    "netapp": "NetApp",
    "synology": "Synology",
    "qnap": "QNAP",
    "juniper": "Juniper",
    "fortinet": "Fortinet",
    "palo alto": "Palo Alto Networks",
    "f5": "F5",
    "intel": "Intel",
    "tp link": "TP-Link",
    "tplink": "TP-Link",
    "topsec": "Topsec",
    "venustech": "Venustech",
    "venus info": "Venustech",
    "dptech": "DPtech",
    "sangfor": "Sangfor",
    "maipu": "Maipu",
    "hikvision": "Hikvision",
    "dahua": "Dahua",
    "digital china": "DCN",
    "dcn": "DCN",
    "american megatrends": "AMI",
    "ami": "AMI",
}

_SUFFIXES = re.compile(
    r"\b(?:inc|co|ltd|llc|corp|corporation|company|limited|technologies|technology|tech|"
    r"networks|network|systems|computer|computers|international|enterprise group|"
    r"information|electronics|group)\b"
)
_PUNCTUATION = re.compile(r"[^\w\s]+")


def _key(name: str) -> str:
    words = _PUNCTUATION.sub(" ", name.casefold().replace("-", " "))
    return " ".join(_SUFFIXES.sub(" ", words).split())


def canonical_vendor(name: str | None) -> str | None:
    """One spelling per maker: ``Dell Inc.`` -> ``Dell``, ``New H3C Technologies`` -> ``H3C``.

    Tries the whole cleaned name, then its first two words and its first word;
    an unknown maker keeps its own spelling (stripped). None and blank give None.
    """
    if name is None or not name.strip():
        return None
    key = _key(name)
    words = key.split()
    for candidate in (key, " ".join(words[:2]), words[0] if words else ""):
        if candidate in VENDOR_ALIASES:
            return VENDOR_ALIASES[candidate]
    return name.strip()
