"""The fingerprint rules: one row each, tried by priority (netmiko's snmp_autodetect shape).

A row matches when every condition it has holds: the sysObjectID lies in its
product subtree, sysDescr matches its pattern, and its vendor MIB scalar
answered (matching its pattern, if any). The device class comes from the
subtree wherever the vendor's MIB separates its products, never from sysDescr
wording alone; sysDescr refines model, OS and version through the extractors
below. Named groups ``model``, ``version`` and ``os`` in a row's own pattern
win over the extractors. Add a device kind by adding a row and a recorded
sample to tests/data/snmp/fingerprints.tsv. The per-OS model and version
extractors and the model names that decide a class live in `os_names` and
are re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from collectors.snmp.fingerprint_probes import HIKVISION_MAKER, HR_INITIAL_LOAD_PARAMETERS
from collectors.snmp.os_names import EXTRACTORS, MODEL_CLASSES
from collectors.snmp.types import Oid

# The device classes a collector may report; inventory.domain.choices.DeviceClass
# holds the same values (a test keeps the two equal; collectors never import inventory).
DEVICE_CLASSES = (
    "server", "virtual_machine", "hypervisor", "bmc", "storage", "ups",
    "switch", "router", "firewall", "appliance", "other", "unknown",
)  # fmt: skip


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.DOTALL)


def _oid(dotted: str) -> tuple[int, ...]:
    return tuple(Oid.parse(dotted))


@dataclass(frozen=True)
class Rule:
    name: str
    device_class: str
    os_name: str | None = None
    object_id: tuple[int, ...] | None = None  # the product subtree
    descr: re.Pattern[str] | None = None
    probe: Oid | None = None  # a vendor MIB scalar that must answer
    probe_value: re.Pattern[str] | None = None  # ... with this text
    mib: tuple[int, ...] | None = None  # the vendor subtree describing the machine, if not probe's
    vendor: str | None = None  # overrides the enterprise number's vendor
    priority: int = 50
    # The model names the class better than the row (one OS on switches and routers).
    by_model: bool = False
    # An operating system's agent names the software's maker, not the machine's.
    os_agent: bool = False


HUAWEI, H3C, CISCO, RUIJIE = (_oid(f"1.3.6.1.4.1.{n}") for n in (2011, 25506, 9, 4881))
P = Oid.parse

__all__ = ["DEVICE_CLASSES", "EXTRACTORS", "MODEL_CLASSES", "RULES", "Rule"]

_RULES = (
    # Management controllers first: they share enterprise numbers with servers.
    Rule("dell-idrac", "bmc", "iDRAC", _oid("1.3.6.1.4.1.674.10892.5"), priority=10),
    Rule("dell-drac", "bmc", "iDRAC", _oid("1.3.6.1.4.1.674.10892.2"), priority=10),
    Rule("dell-oob", "bmc", "iDRAC", descr=_re(r"Dell Out-of-band SNMP Agent"), vendor="Dell"),
    Rule(
        "hpe-ilo",
        "bmc",
        "iLO",
        descr=_re(r"Integrated Lights-Out\s*(?P<version>\d+(?:\s+[\d.]+)?)"),
        vendor="HPE",
        priority=10,
    ),
    Rule("hpe-ilo-subtree", "bmc", "iLO", _oid("1.3.6.1.4.1.232.9.4"), priority=11),
    Rule("huawei-ibmc", "bmc", "iBMC", _oid("1.3.6.1.4.1.2011.2.235"), priority=10),
    Rule(
        "huawei-ibmc-probe",
        "bmc",
        "iBMC",
        probe=P("1.3.6.1.4.1.2011.2.235.1.1.1.6.0"),
        vendor="Huawei",
        priority=12,
    ),
    Rule(
        "dell-idrac-probe",
        "bmc",
        "iDRAC",
        probe=P("1.3.6.1.4.1.674.10892.5.1.3.12.0"),
        vendor="Dell",
        priority=12,
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
    # ATEN writes Supermicro's BMC firmware and answers with its own number.
    Rule("supermicro-bmc", "bmc", None, _oid("1.3.6.1.4.1.21317"), vendor="Supermicro"),
    Rule("supermicro", "bmc", None, _oid("1.3.6.1.4.1.10876"), vendor="Supermicro"),
    # Hypervisors.
    Rule(
        "vmware-esxi",
        "hypervisor",
        None,
        descr=_re(r"(?P<os>VMware ESXi?)\s+(?P<version>[\d.]+)"),
        priority=20,
        os_agent=True,
    ),
    Rule("vmware", "hypervisor", "VMware ESXi", _oid("1.3.6.1.4.1.6876.4"), priority=21),
    # Storage, including NAS appliances behind a generic net-snmp agent.
    Rule("huawei-oceanstor", "storage", "OceanStor OS", _oid("1.3.6.1.4.1.2011.2.91"), priority=25),
    Rule(
        "huawei-storage",
        "storage",
        "OceanStor OS",
        descr=_re(r"OceanStor\s+(?P<model>[\w-]+(?: V\d\b)?)(?:.*?(?P<version>V\d{3}R\d{3}\w*))?"),
        vendor="Huawei",
        priority=26,
    ),
    Rule("synology", "storage", "DSM", _oid("1.3.6.1.4.1.6574"), priority=25),
    Rule(
        "synology-probe",
        "storage",
        "DSM",
        probe=P("1.3.6.1.4.1.6574.1.5.1.0"),
        vendor="Synology",
        priority=26,
    ),
    Rule(
        "synology-load-parameters",
        "storage",
        "DSM",
        probe=HR_INITIAL_LOAD_PARAMETERS,
        probe_value=_re(r"syno_hw_version"),
        mib=_oid("1.3.6.1.4.1.6574"),
        vendor="Synology",
        priority=27,
    ),
    Rule("qnap", "storage", "QTS", _oid("1.3.6.1.4.1.24681"), priority=25),
    Rule(
        "qnap-probe",
        "storage",
        "QTS",
        probe=P("1.3.6.1.4.1.24681.1.2.12.0"),
        vendor="QNAP",
        priority=26,
    ),
    Rule("netapp", "storage", "ONTAP", _oid("1.3.6.1.4.1.789"), priority=25),
    Rule("netapp-descr", "storage", "ONTAP", descr=_re(r"^NetApp\b"), vendor="NetApp", priority=26),
    Rule("huawei-ups", "ups", None, descr=_re(r"(?P<model>UPS\d{4}[\w-]*)"), vendor="Huawei"),
    # Huawei: the AR and Quidway S subtrees, then VRP named by its model.
    Rule("huawei-ar", "router", "VRP", _oid("1.3.6.1.4.1.2011.2.224"), priority=30),
    Rule("huawei-s", "switch", "VRP", _oid("1.3.6.1.4.1.2011.2.23"), priority=30),
    Rule(
        "huawei-vrp",
        "switch",
        "VRP",
        descr=_re(r"Versatile Routing Platform|\bVRP\b"),
        vendor="Huawei",
        priority=35,
        by_model=True,
    ),
    # VRP's successor on Huawei's newer campus switches (V600 releases).
    Rule(
        "huawei-yunshan",
        "switch",
        "YunShan OS",
        descr=_re(r"Huawei YunShan OS"),
        vendor="Huawei",
        priority=35,
        by_model=True,
    ),
    # H3C (and HP's Comware switches): one subtree for all products, so the model names the class.
    Rule(
        "hp-comware",
        "switch",
        "Comware",
        H3C,
        _re(r"^HP(?:E)? Comware|Hewlett-Packard"),
        vendor="HPE",
        priority=30,
        by_model=True,
    ),
    Rule("h3c-comware", "switch", "Comware", descr=_re(r"Comware"), priority=32, by_model=True),
    # Old Comware 5 switches say "H3C Switch S5110-... Software Version 5.20" and no "Comware".
    Rule(
        "h3c",
        "switch",
        "Comware",
        descr=_re(r"\bH3C\b"),
        vendor="H3C",
        priority=38,
        by_model=True,
    ),
    # Cisco's own wording; agents that send no sysObjectID send it too.
    Rule(
        "cisco-asa",
        "firewall",
        "ASA",
        descr=_re(r"Cisco Adaptive Security Appliance"),
        vendor="Cisco",
        priority=30,
    ),
    Rule("cisco-nxos", "switch", "NX-OS", CISCO, _re(r"NX-OS"), priority=31),
    Rule("cisco-iosxr", "router", "IOS XR", CISCO, _re(r"IOS XR"), priority=31),
    # IOS XE says so, or names its Linux-hosted IOS daemon (PPC_LINUX_IOSD) as the image.
    Rule(
        "cisco-iosxe", "switch", "IOS XE", CISCO, _re(r"IOS-XE|_IOSD-"), priority=33, by_model=True
    ),
    Rule("cisco-ios", "switch", "IOS", CISCO, _re(r"\bIOS\b"), priority=35, by_model=True),
    Rule(
        "cisco-ios-descr",
        "switch",
        "IOS",
        descr=_re(r"^Cisco (?:IOS Software|Internetwork Operating System)"),
        vendor="Cisco",
        priority=36,
        by_model=True,
    ),
    # Small-business Catalysts (1200/1300) run no IOS and name the model in brackets.
    Rule(
        "cisco-catalyst",
        "switch",
        None,
        CISCO,
        _re(r"^Catalyst .*Switch.*?(?:\((?P<model>C\d{4}[\w-]*)\))?$"),
        priority=37,
    ),
    # Small-business switches (SG/SF series) answer in their own subtree and name no OS.
    Rule("cisco-sb", "switch", None, _oid("1.3.6.1.4.1.9.6.1"), priority=37),
    Rule("cisco-catos", "switch", "CatOS", CISCO, _re(r"Catalyst Operating System"), priority=31),
    Rule("cisco-fwsm", "firewall", "FWSM", CISCO, _re(r"Firewall Services Module"), priority=30),
    Rule("ruijie-ap", "other", "RGOS", _oid("1.3.6.1.4.1.4881.1.3"), priority=30),
    Rule("ruijie-firewall", "firewall", "RGOS", RUIJIE, _re(r"RG-WALL"), priority=30),
    Rule("ruijie-router", "router", "RGOS", RUIJIE, _re(r"\b(?:RG-)?(?:RSR|EG)\d"), priority=31),
    Rule("ruijie-switch", "switch", "RGOS", _oid("1.3.6.1.4.1.4881.1.1"), priority=32),
    Rule("ruijie", "switch", "RGOS", RUIJIE, priority=33, by_model=True),
    Rule(
        "zte-zxr10",
        "switch",
        "ZXROS",
        descr=_re(r"ZXR10"),
        vendor="ZTE",
        priority=32,
        by_model=True,
    ),
    Rule("hillstone", "firewall", "StoneOS", _oid("1.3.6.1.4.1.28557"), priority=30),
    Rule("hillstone-stoneos", "firewall", "StoneOS", descr=_re(r"StoneOS"), vendor="Hillstone"),
    Rule(
        "juniper-junos",
        "router",
        "Junos",
        _oid("1.3.6.1.4.1.2636"),
        _re(r"JUNOS"),
        priority=32,
        by_model=True,
    ),
    Rule(
        "juniper-descr",
        "router",
        "Junos",
        descr=_re(r"^Juniper Networks, Inc\."),
        vendor="Juniper",
        priority=37,
        by_model=True,
    ),
    Rule("fortinet", "firewall", "FortiOS", _oid("1.3.6.1.4.1.12356"), priority=32),
    Rule("paloalto", "firewall", "PAN-OS", _oid("1.3.6.1.4.1.25461"), priority=32),
    Rule("f5-bigip", "appliance", "BIG-IP", _oid("1.3.6.1.4.1.3375"), priority=32),
    Rule("hp-procurve", "switch", "ProCurve", _oid("1.3.6.1.4.1.11.2.3.7"), priority=32),
    # Virtual Connect: the blade enclosure's Ethernet interconnect.
    Rule("hpe-virtual-connect", "switch", None, _oid("1.3.6.1.4.1.11.5.7.5"), priority=32),
    Rule(
        "dcn",
        "switch",
        None,
        descr=_re(r"Digital China Networks"),
        vendor="DCN",
        priority=38,
        by_model=True,
    ),
    Rule("dell-powerconnect", "switch", None, _oid("1.3.6.1.4.1.674.10895"), priority=32),
    # Lenovo's data-centre switches (ThinkSystem NE/RackSwitch G) run CNOS under 19046.1.7.
    Rule(
        "lenovo-rackswitch",
        "switch",
        "CNOS",
        _oid("1.3.6.1.4.1.19046.1.7"),
        _re(r"(?:ThinkSystem\s+(?P<model>\S+)\s+)?RackSwitch"),
        priority=32,
    ),
    Rule(
        "tplink-switch", "switch", None, _oid("1.3.6.1.4.1.11863"), _re(r"\bSwitch\b"), priority=32
    ),
    # Cameras and NVRs: an unregistered sysObjectID, the maker in HIKVISION-MIB.
    Rule(
        "hikvision",
        "other",
        None,
        probe=HIKVISION_MAKER,
        probe_value=_re(r"Hikvision"),
        vendor="Hikvision",
        priority=45,
    ),
    # Power.
    Rule("apc-pdu", "other", "AOS", _oid("1.3.6.1.4.1.318.1.3.4"), priority=39),
    # NetBotz environmental monitors share the management card and the 318 subtree.
    Rule("apc-netbotz", "other", "AOS", _oid("1.3.6.1.4.1.318.1.3.8"), priority=39),
    Rule("apc-ups", "ups", "AOS", _oid("1.3.6.1.4.1.318"), priority=40),
    # The same management card runs UPSes and rack PDUs; its firmware file and model say which.
    Rule(
        "apc-pdu-descr",
        "other",
        "AOS",
        descr=_re(r"APC Web/SNMP Management Card.*?(?:_rpdu|MN:AP[78]\d{3})"),
        vendor="APC",
        priority=41,
    ),
    Rule(
        "apc-descr",
        "ups",
        "AOS",
        descr=_re(r"APC Web/SNMP Management Card"),
        vendor="APC",
        priority=42,
    ),
    # MGE's agents (705) describe the UPS in Eaton's XUPS-MIB (534).
    Rule(
        "eaton-mge", "ups", None, _oid("1.3.6.1.4.1.705"), mib=_oid("1.3.6.1.4.1.534"), priority=40
    ),
    Rule("eaton", "ups", None, _oid("1.3.6.1.4.1.534"), priority=40),
    # Servers by operating system; IBM's AIX subtree first, its name is not at the start.
    Rule("ibm-aix", "server", "AIX", _oid("1.3.6.1.4.1.2.3.1.2"), priority=55),
    Rule("aix", "server", "AIX", descr=_re(r"\bAIX\b"), priority=56),
    Rule("windows", "server", "Windows", _oid("1.3.6.1.4.1.311"), priority=60, os_agent=True),
    # Agents queried without sysObjectID (or behind a proxy) still say "Software: Windows".
    Rule(
        "windows-descr",
        "server",
        "Windows",
        descr=_re(r"Software: Windows"),
        priority=61,
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
        descr=_re(r"^(?P<os>SunOS|HP-UX|FreeBSD)\s+\S+\s+(?P<version>\S+)"),
        priority=71,
    ),
)
RULES: tuple[Rule, ...] = tuple(sorted(_RULES, key=lambda rule: rule.priority))
