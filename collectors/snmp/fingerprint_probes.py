"""Vendor MIB scalars: what the standard MIBs lack, and what a generic agent hides.

A row names a vendor subtree and the scalars (all ``.0`` instances) that give
the machine's serial, model, UUID and OS there. They are asked for in one GET
after the system group: for the subtree the sysObjectID points into, and, when
the sysObjectID is a generic agent's (net-snmp) or unknown, for every subtree
in `GENERIC_AGENT_PROBES`, because NAS appliances and BMCs built on net-snmp
serve their vendor MIB beside it. An absent subtree answers noSuchObject.
"""

from __future__ import annotations

from dataclasses import dataclass

from collectors.snmp.enterprises import ENTERPRISES, GENERIC_AGENTS
from collectors.snmp.types import Oid

P = Oid.parse


@dataclass(frozen=True)
class VendorScalars:
    """Scalars of one vendor subtree; `subtree` is where its sysObjectIDs and MIB live."""

    subtree: tuple[int, ...]
    serial: Oid | None = None
    model: Oid | None = None
    system_uuid: Oid | None = None
    os_name: Oid | None = None
    os_version: Oid | None = None

    def oids(self) -> list[Oid]:
        fields = (self.serial, self.model, self.system_uuid, self.os_name, self.os_version)
        return [oid for oid in fields if oid is not None]


VENDOR_SCALARS: tuple[VendorScalars, ...] = (
    # IDRAC-MIB-SMIv2: systemServiceTag, systemModelName.
    VendorScalars(
        tuple(P("1.3.6.1.4.1.674.10892.5")),
        P("1.3.6.1.4.1.674.10892.5.1.3.2.0"),
        P("1.3.6.1.4.1.674.10892.5.1.3.12.0"),
    ),
    # CPQSINFO-MIB (HPE ProLiant and iLO): cpqSiSysSerialNum, cpqSiProductName.
    VendorScalars(
        tuple(P("1.3.6.1.4.1.232")), P("1.3.6.1.4.1.232.2.2.2.1.0"), P("1.3.6.1.4.1.232.2.2.4.2.0")
    ),
    # HUAWEI-SERVER-IBMC-MIB: deviceSerialNo, deviceName, the system GUID.
    VendorScalars(
        tuple(P("1.3.6.1.4.1.2011.2.235")),
        P("1.3.6.1.4.1.2011.2.235.1.1.1.7.0"),
        P("1.3.6.1.4.1.2011.2.235.1.1.1.6.0"),
        P("1.3.6.1.4.1.2011.2.235.1.1.1.10.0"),
    ),
    # VMWARE-SYSTEM-MIB: vmwProdName, vmwProdVersion.
    VendorScalars(
        tuple(P("1.3.6.1.4.1.6876")),
        os_name=P("1.3.6.1.4.1.6876.1.1.0"),
        os_version=P("1.3.6.1.4.1.6876.1.2.0"),
    ),
    # SYNOLOGY-SYSTEM-MIB: serialNumber, modelName, version (DSM).
    VendorScalars(
        tuple(P("1.3.6.1.4.1.6574")),
        P("1.3.6.1.4.1.6574.1.5.2.0"),
        P("1.3.6.1.4.1.6574.1.5.1.0"),
        os_version=P("1.3.6.1.4.1.6574.1.5.3.0"),
    ),
    # XUPS-MIB (Eaton, and MGE's agents): xupsIdentModel.
    VendorScalars(tuple(P("1.3.6.1.4.1.534")), model=P("1.3.6.1.4.1.534.1.1.2.0")),
    # NAS-MIB (QNAP): enclosure serial number and model name.
    VendorScalars(
        tuple(P("1.3.6.1.4.1.24681")),
        P("1.3.6.1.4.1.24681.1.2.13.0"),
        P("1.3.6.1.4.1.24681.1.2.12.0"),
    ),
)

# HOST-RESOURCES-MIB hrSystemInitialLoadParameters: Synology's DSM puts its
# kernel's "syno_hw_version" there, a mark LibreNMS also detects DSM by.
HR_INITIAL_LOAD_PARAMETERS = P("1.3.6.1.2.1.25.1.4.0")

# HIKVISION-MIB's maker name: Hikvision cameras and NVRs answer with an
# unregistered sysObjectID (1.3.6.1.4.1.50001) and describe themselves here.
HIKVISION_MAKER = P("1.3.6.1.4.1.39165.1.6.0")

# Subtrees worth asking a generic agent about (storage appliances and BMCs).
GENERIC_AGENT_PROBES: tuple[tuple[int, ...], ...] = (
    tuple(P("1.3.6.1.4.1.6574")),
    tuple(P("1.3.6.1.4.1.24681")),
    tuple(P("1.3.6.1.4.1.2011.2.235")),
    tuple(P("1.3.6.1.4.1.674.10892.5")),
)


# Agents that answer under one number and describe the device in another vendor's MIB.
SHARED_MIBS: dict[tuple[int, ...], tuple[int, ...]] = {
    tuple(P("1.3.6.1.4.1.705")): tuple(P("1.3.6.1.4.1.534")),  # MGE UPS -> Eaton XUPS-MIB
}


def scalars_for(subtree: tuple[int, ...] | None) -> VendorScalars | None:
    """The row whose subtree holds `subtree` (a sysObjectID or a probed OID), if any."""
    if subtree is None:
        return None
    for agent, mib in SHARED_MIBS.items():
        if subtree[: len(agent)] == agent:
            subtree = mib
    for entry in VENDOR_SCALARS:
        if subtree[: len(entry.subtree)] == entry.subtree:
            return entry
    return None


def _generic(object_id: Oid | None) -> bool:
    """A sysObjectID that names no maker we know: absent, net-snmp's, or an unregistered number."""
    if object_id is None or len(object_id) < 7 or object_id[:6] != (1, 3, 6, 1, 4, 1):
        return True
    return object_id[6] in GENERIC_AGENTS or object_id[6] not in ENTERPRISES


def probe_oids(object_id: Oid | None) -> list[Oid]:
    """The vendor scalars to GET after the system group, for an agent with this sysObjectID.

    A vendor's own sysObjectID: its row's scalars. A generic or unknown one:
    every probed subtree's scalars, plus hrSystemInitialLoadParameters and
    HIKVISION-MIB's maker name.
    """
    wanted: list[Oid] = []
    own = scalars_for(object_id)
    if own is not None:
        wanted += own.oids()
    if _generic(object_id):
        wanted += [HR_INITIAL_LOAD_PARAMETERS, HIKVISION_MAKER]
        for subtree in GENERIC_AGENT_PROBES:
            entry = scalars_for(subtree)
            if entry is not None and entry is not own:
                wanted += entry.oids()
    return wanted
