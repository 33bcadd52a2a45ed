"""Fingerprinting: vendor, device class, OS and model from what an agent says.

The data lives beside this module: enterprise numbers and vendor spellings
(`enterprises`), the rules (`fingerprint_rules`), the vendor MIB scalars to
probe (`fingerprint_probes`) and OS names (`os_names`). This module only walks
them: the first rule by priority that matches wins; with none, the enterprise
number still names the vendor and, where the vendor makes one kind of device,
the class.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from collectors.snmp import values
from collectors.snmp.enterprises import ENTERPRISES, GENERIC_AGENTS, canonical_vendor
from collectors.snmp.fingerprint_rules import EXTRACTORS, MODEL_CLASSES, RULES, Rule
from collectors.snmp.os_names import WINDOWS_WORKSTATION, linux_distribution, windows_release
from collectors.snmp.types import Missing, Oid, SnmpValue

__all__ = [
    "RULES",
    "Fingerprint",
    "enterprise_of",
    "fingerprint",
    "hypervisor_of_mac",
    "linux_distribution",
    "vendor_of",
]

ENTERPRISE_PREFIX = (1, 3, 6, 1, 4, 1)

# Makers whose name in sysDescr is the best clue when the agent is a generic one.
VENDOR_WORDS = ("inspur", "sugon", "dawning", "lenovo", "huawei", "h3c", "ruijie", "hillstone")
_WINDOWS_BUILD = re.compile(r"Build (\d+)", re.IGNORECASE)

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
class Fingerprint:
    vendor: str | None  # the hardware's maker, when the agent tells it
    device_class: str
    os_name: str | None
    os_version: str | None
    model: str | None
    rule: str
    os_inferred: bool = False
    subtree: tuple[int, ...] | None = None  # the vendor MIB whose scalars describe the machine


def enterprise_of(object_id: Oid | None) -> int | None:
    """N of a sysObjectID 1.3.6.1.4.1.N...; None for anything else."""
    if object_id is None or not object_id.startswith(ENTERPRISE_PREFIX) or len(object_id) < 7:
        return None
    return object_id[6]


def vendor_of(object_id: Oid | None, descr: str | None) -> str | None:
    """The maker by enterprise number; for a generic agent, by a maker's name in sysDescr."""
    number = enterprise_of(object_id)
    known = ENTERPRISES.get(number) if number is not None else None
    if known is not None:
        return known.vendor
    lowered = (descr or "").casefold()
    word = next((w for w in VENDOR_WORDS if w in lowered), None)
    return canonical_vendor(word) if word else None


def _probed_text(probed: Mapping[Oid, SnmpValue], oid: Oid) -> str | None:
    value = probed.get(oid)
    if value is None or isinstance(value, Missing):
        return None
    return values.text(value)


def _match(
    rule: Rule, object_id: Oid | None, text: str, probed: Mapping[Oid, SnmpValue]
) -> dict[str, str] | None:
    """The named groups of a matching rule ({} without any); None when it does not match."""
    if rule.object_id is not None and (
        object_id is None or not object_id.startswith(rule.object_id)
    ):
        return None
    if rule.probe is not None:
        answer = _probed_text(probed, rule.probe)
        if not answer or (rule.probe_value is not None and not rule.probe_value.search(answer)):
            return None
    if rule.descr is None:
        return {}
    found = rule.descr.search(text)
    if found is None:
        return None
    return {k: v.strip() for k, v in found.groupdict().items() if v}


def _extract(keys: tuple[str | None, ...], field: str, text: str) -> str | None:
    """The first match for `field` among the extractors of the rule's name, then its OS's."""
    tables = [EXTRACTORS[k] for k in keys if k is not None and k in EXTRACTORS]
    patterns = next((table[field] for table in tables if field in table), ())
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            return " ".join(found.group(1).split())
    return None


def _model_class(model: str | None) -> str | None:
    if not model:
        return None
    return next((kind for pattern, kind in MODEL_CLASSES if pattern.search(model)), None)


def _os_details(
    rule: Rule, object_id: Oid | None, text: str, os_name: str | None, version: str | None
) -> tuple[str | None, str | None]:
    """OS name and version as people say them (Windows Server 2019, Kylin, AIX 6.1.9.300)."""
    if rule.os_name == "Windows":
        build = _WINDOWS_BUILD.search(text)
        if build:
            workstation = object_id is not None and object_id.startswith(WINDOWS_WORKSTATION)
            return windows_release(int(build.group(1)), workstation)
        return os_name, version
    if rule.name == "linux" and version:
        # The release names most distributions; Ubuntu and Debian also say so in the build string.
        return linux_distribution(text), version
    if os_name == "AIX" and version:
        return os_name, ".".join(str(int(p)) for p in re.split(r"[.\s]+", version) if p.isdigit())
    return os_name, version


def _result(rule: Rule, groups: dict[str, str], object_id: Oid | None, text: str) -> Fingerprint:
    os_name = rule.os_name or groups.get("os")
    version = groups.get("version") or _extract((rule.name, os_name), "version", text)
    model = groups.get("model") or _extract((rule.name, os_name), "model", text)
    os_name, version = _os_details(rule, object_id, text, os_name, version)
    device_class = rule.device_class
    if rule.by_model:
        device_class = _model_class(model) or device_class
    vendor = None if rule.os_agent else canonical_vendor(rule.vendor or vendor_of(object_id, text))
    subtree = rule.mib or (tuple(rule.probe) if rule.probe is not None else rule.object_id)
    return Fingerprint(
        vendor,
        device_class,
        os_name,
        version,
        model,
        rule.name,
        os_inferred=rule.os_agent and rule.name != "vmware-esxi",
        subtree=subtree,
    )


def fingerprint(
    object_id: Oid | None, descr: str | None, probed: Mapping[Oid, SnmpValue] | None = None
) -> Fingerprint:
    """The best rule for this sysObjectID, sysDescr and probed vendor scalars.

    `probed` holds the answers to `fingerprint_probes.probe_oids` (absent ones
    may be missing or Missing). Without a matching rule the enterprise number
    still names the vendor, and its class where the vendor makes one kind of
    device; else the class is ``other`` (``unknown`` when the agent said nothing).
    """
    text = descr or ""
    for rule in RULES:
        groups = _match(rule, object_id, text, probed or {})
        if groups is not None:
            return _result(rule, groups, object_id, text)
    number = enterprise_of(object_id)
    known = ENTERPRISES.get(number) if number is not None else None
    vendor = None if number in GENERIC_AGENTS else vendor_of(object_id, descr)
    if known is not None and known.device_class is not None:
        return Fingerprint(vendor, known.device_class, None, None, None, "enterprise")
    return Fingerprint(
        vendor, "other" if object_id or descr else "unknown", None, None, None, "none"
    )


def hypervisor_of_mac(mac: str) -> str | None:
    """The hypervisor whose guests get this MAC prefix (``00:0c:29`` -> VMware)."""
    return VIRTUAL_MAC_PREFIXES.get(mac[:8].lower())
