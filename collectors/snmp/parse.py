"""From collected SNMP values to an Observation. Pure: tested on recorded agents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from collectors.observation import Interface, Observation
from collectors.snmp import oids, values
from collectors.snmp.enterprises import canonical_vendor
from collectors.snmp.fingerprint import fingerprint, hypervisor_of_mac
from collectors.snmp.fingerprint_probes import scalars_for
from collectors.snmp.types import Missing, Oid, SnmpValue

Column = dict[tuple[int, ...], SnmpValue]
VIRTUAL_WORDS = ("vmware virtual", "qemu", "kvm", "virtio", "hyper-v", "xen ", "virtualbox")
LOOPBACK_IF_TYPE = 24
# HOST-RESOURCES counts what the agent sees (logical CPUs, mounted storage) and
# sysName is whatever snmpd.conf says;
# a server's own account over SSH is the better source for these.
SERVER_FACTS_BETTER_OVER_SSH = frozenset(
    {
        "name",
        "cpu_count",
        "memory_mb",
        "disk_total_gb",
        "is_virtual",
        "hypervisor",
        "os_name",
        "os_version",
    }
)


@dataclass
class Collected:
    """Raw answers of one agent: scalar GETs and walked columns, plus what went wrong."""

    scalars: dict[Oid, SnmpValue] = field(default_factory=dict)
    columns: dict[Oid, Column] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def scalar(self, oid: Oid) -> SnmpValue:
        return self.scalars.get(oid)

    def column(self, oid: Oid) -> Column:
        return self.columns.get(oid, {})


def _ok(value: SnmpValue) -> bool:
    return value is not None and not isinstance(value, Missing)


def parse(collected: Collected, address: str, credential: str, seen_at: datetime) -> Observation:
    scalar = collected.scalar
    object_id = values.oid(scalar(oids.SYS_OBJECT_ID))
    descr = values.text(scalar(oids.SYS_DESCR))
    found = fingerprint(object_id, descr, collected.scalars)
    observation = Observation(
        address=address,
        protocol="snmp",
        credential=credential,
        seen_at=seen_at,
        name=values.text(scalar(oids.SYS_NAME)),
        description=descr,
        object_id=str(object_id) if object_id else None,
        location=values.text(scalar(oids.SYS_LOCATION)),
        contact=values.text(scalar(oids.SYS_CONTACT)),
        vendor=found.vendor,
        device_class=found.device_class,
        fingerprint_rule=found.rule,
        model=found.model,
        os_name=found.os_name,
        os_version=found.os_version,
        snmp_engine_id=values.hex_id(scalar(oids.SNMP_ENGINE_ID)),
        value_errors=list(collected.problems),
        inferred={"os_name", "os_version"} if found.os_inferred else set(),
    )
    uptime = values.number(scalar(oids.HR_SYSTEM_UPTIME)) or values.number(scalar(oids.SYS_UPTIME))
    observation.uptime_seconds = uptime // 100 if uptime is not None and uptime >= 0 else None
    _entity(collected, observation)
    _vendor(collected, found.subtree or object_id, observation)
    _interfaces(collected, observation)
    _host_resources(collected, observation)
    _virtualisation(collected, observation)
    if observation.device_class in ("server", "virtual_machine"):
        observation.inferred |= SERVER_FACTS_BETTER_OVER_SSH
    if observation.snmp_engine_id is None and _ok(scalar(oids.SNMP_ENGINE_ID)):
        observation.value_errors.append("snmpEngineID: not an octet string")
    return observation


def _entity(collected: Collected, observation: Observation) -> None:
    classes = collected.column(oids.ENT_CLASS)
    serials = collected.column(oids.ENT_SERIAL)
    models = collected.column(oids.ENT_MODEL_NAME)
    chassis = sorted(
        index
        for index, kind in classes.items()
        if values.number(kind) in (oids.ENT_CLASS_CHASSIS, oids.ENT_CLASS_STACK)
    )
    ordered = chassis + sorted(i for i in serials if i not in chassis)
    for index in ordered:
        serial = values.serial(serials.get(index))
        if serial:
            observation.serial_number = serial
            model = values.text(models.get(index))
            if model:
                observation.model = model[:128]
            firmware = values.text(collected.column(oids.ENT_FIRMWARE_REV).get(index))
            software = values.text(collected.column(oids.ENT_SOFTWARE_REV).get(index))
            observation.firmware = firmware or observation.firmware
            if software and not observation.os_version:
                observation.os_version = software[:64]
            manufacturer = values.text(collected.column(oids.ENT_MFG_NAME).get(index))
            if manufacturer and not observation.vendor:
                observation.vendor = (canonical_vendor(manufacturer) or manufacturer)[:64]
            break


def _vendor(
    collected: Collected, subtree: tuple[int, ...] | None, observation: Observation
) -> None:
    entry = scalars_for(subtree)
    if entry is None:
        return
    if entry.serial and (serial := values.serial(collected.scalar(entry.serial))):
        observation.serial_number = serial
    if entry.model and (model := values.hex_or_text(collected.scalar(entry.model))):
        observation.model = model[:128]
    if entry.system_uuid and (uuid := values.text(collected.scalar(entry.system_uuid))):
        observation.system_uuid = uuid
    if entry.os_name and (name := values.text(collected.scalar(entry.os_name))):
        observation.os_name = name[:128]
    if entry.os_version and (version := values.text(collected.scalar(entry.os_version))):
        observation.os_version = version[:64]


def _interfaces(collected: Collected, observation: Observation) -> None:
    column = collected.column
    indexes = sorted(
        {i for c in (oids.IF_DESCR, oids.IF_PHYS_ADDRESS, oids.IF_NAME) for i in column(c)}
    )
    by_index: dict[int, Interface] = {}
    for index in indexes:
        if len(index) != 1:
            continue
        (number,) = index
        high_speed = values.number(column(oids.IF_HIGH_SPEED).get(index))
        speed = values.number(column(oids.IF_SPEED).get(index))
        status = values.number(column(oids.IF_OPER_STATUS).get(index))
        interface = Interface(
            index=number,
            name=values.text(column(oids.IF_NAME).get(index)),
            description=values.text(column(oids.IF_DESCR).get(index)),
            kind=values.number(column(oids.IF_TYPE).get(index)),
            mac=values.mac(column(oids.IF_PHYS_ADDRESS).get(index)),
            speed_mbps=high_speed if high_speed else (speed // 1_000_000 if speed else None),
            up=None if status is None else status == 1,
            in_octets=values.number(column(oids.IF_HC_IN_OCTETS).get(index))
            or values.number(column(oids.IF_IN_OCTETS).get(index)),
            out_octets=values.number(column(oids.IF_HC_OUT_OCTETS).get(index))
            or values.number(column(oids.IF_OUT_OCTETS).get(index)),
            alias=values.text(column(oids.IF_ALIAS).get(index)),
        )
        by_index[number] = interface
    observation.interfaces = list(by_index.values())
    for address, if_index in _addresses(collected):
        if if_index in by_index:
            by_index[if_index].addresses.append(address)
        if address not in observation.addresses and not address.startswith(("127.", "::1")):
            observation.addresses.append(address)
    observation.macs = sorted(
        {i.mac for i in observation.interfaces if i.mac and i.kind != LOOPBACK_IF_TYPE}
    )


def _addresses(collected: Collected) -> list[tuple[str, int | None]]:
    found: list[tuple[str, int | None]] = []
    for index, if_index in collected.column(oids.IP_AD_ENT_IF_INDEX).items():
        if len(index) == 4 and all(0 <= part < 256 for part in index):
            found.append((".".join(map(str, index)), values.number(if_index)))
    # ipAddressTable index: addressType, length, octets.
    for index, if_index in collected.column(oids.IP_ADDRESS_IF_INDEX).items():
        if len(index) >= 2 and index[1] == len(index) - 2 and index[0] in (1, 2):
            raw = bytes(part for part in index[2:] if 0 <= part < 256)
            address = values.ipv4(raw)
            if address and (address, values.number(if_index)) not in found:
                found.append((address, values.number(if_index)))
    return found


def _host_resources(collected: Collected, observation: Observation) -> None:
    memory_kib = values.number(collected.scalar(oids.HR_MEMORY_SIZE)) or values.number(
        collected.scalar(oids.UCD_MEM_TOTAL_REAL)
    )
    if memory_kib and memory_kib > 0:
        observation.memory_mb = memory_kib // 1024
    observation.processes = values.number(collected.scalar(oids.HR_SYSTEM_PROCESSES))
    if observation.processes is None and (running := collected.column(oids.HR_SW_RUN_INDEX)):
        observation.processes = len(running)
    users = values.number(collected.scalar(oids.HR_SYSTEM_NUM_USERS))
    observation.logged_in_users = users if users is not None and users >= 0 else None

    loads = [
        load
        for load in (values.number(v) for v in collected.column(oids.HR_PROCESSOR_LOAD).values())
        if load is not None and 0 <= load <= 100
    ]
    if loads:
        observation.cpu_count = len(loads)
        observation.cpu_load_pct = round(sum(loads) / len(loads), 1)

    disk_bytes, observation.memory_used_pct = _storage(collected, observation)
    if disk_bytes:
        observation.disk_total_gb = disk_bytes // (1 << 30)


def _storage(collected: Collected, observation: Observation) -> tuple[int, float | None]:
    """Fixed-disk bytes and RAM use from hrStorageTable (RFC 2790).

    hrStorageSize and hrStorageUsed are Integer32: agents with volumes over
    2^31 units wrap them negative, so they are read as unsigned 32-bit. A disk
    whose size cannot be read is a value error, never silently left out.
    """
    column = collected.column
    disk_bytes, ram_used_pct = 0, None
    for index, kind in collected.column(oids.HR_STORAGE_TYPE).items():
        units = values.number(column(oids.HR_STORAGE_UNITS).get(index))
        size = values.unsigned32(column(oids.HR_STORAGE_SIZE).get(index))
        used = values.unsigned32(column(oids.HR_STORAGE_USED).get(index)) or 0
        if kind == oids.HR_STORAGE_FIXED_DISK and (not units or units < 0 or size is None):
            name = values.text(column(oids.HR_STORAGE_DESCR).get(index)) or "?"
            observation.value_errors.append(
                f"hrStorage {'.'.join(map(str, index))} ({name[:40]}): size unreadable"
            )
            continue
        if not units or units <= 0 or not size:
            continue
        if kind == oids.HR_STORAGE_FIXED_DISK:
            disk_bytes += units * size
        elif kind == oids.HR_STORAGE_RAM:
            ram_used_pct = round(100 * min(used, size) / size, 1)
            if observation.memory_mb is None:
                observation.memory_mb = units * size // (1 << 20)
    return disk_bytes, ram_used_pct


def _virtualisation(collected: Collected, observation: Observation) -> None:
    if observation.device_class in ("hypervisor", "bmc", "switch", "router", "firewall"):
        return
    descriptions: Mapping[tuple[int, ...], SnmpValue] = collected.column(oids.HR_DEVICE_DESCR)
    words = " ".join((values.text(v) or "").casefold() for v in descriptions.values())
    hypervisor = next(
        (hypervisor_of_mac(mac) for mac in observation.macs if hypervisor_of_mac(mac)), None
    )
    if hypervisor or any(word in words for word in VIRTUAL_WORDS):
        observation.is_virtual = True
        observation.hypervisor = hypervisor or next(
            (w.strip().split()[0].title() for w in VIRTUAL_WORDS if w in words), None
        )
        if observation.device_class == "server":
            observation.device_class = "virtual_machine"
    elif observation.device_class == "server" and descriptions:
        observation.is_virtual = False  # only with the device table in hand
