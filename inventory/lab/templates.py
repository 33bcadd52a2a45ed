"""Device templates for the lab: what each kind of agent answers, as snmprec records.

Each builder returns ``{oid: (tag, value)}`` in snmpsim's recording format
(tag 2 INTEGER, 4 OCTET STRING, 4x hex OCTET STRING, 6 OID, 64 IpAddress,
65 Counter32, 66 Gauge32, 67 TimeTicks, 70 Counter64). The texts follow what
the real devices print; the identities (serials, UUIDs, MACs) come from the
sample estate so a scan can match them to the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Records = dict[str, tuple[str, str]]

KERNELS = {
    "CentOS Linux 7": "3.10.0-1160.el7.x86_64",
    "CentOS Linux 6": "2.6.32-754.el6.x86_64",
    "Kylin": "4.19.90-24.4.v2101.ky10.x86_64",
    "UOS": "4.19.90-2107.6.0.0100.oe1.uel20.x86_64",
    "Red Hat": "3.10.0-957.el7.x86_64",
    "Ubuntu": "4.15.0-213-generic",
}


@dataclass
class Device:
    """One simulated agent: who it is and what it runs."""

    address: str
    template: str
    name: str
    engine_id: str  # hex
    macs: list[str]
    serial: str | None = None
    system_uuid: str | None = None
    vendor: str | None = None
    model: str | None = None
    os_name: str | None = None
    os_version: str | None = None
    cpu_count: int = 8
    memory_mb: int = 32768
    disk_gb: int = 1200
    location: str = ""
    virtual: bool = False
    extra: Records = field(default_factory=dict)


def _hex(mac: str) -> str:
    return mac.replace(":", "")


def _system(device: Device, descr: str, object_id: str, uptime: int = 8_640_000) -> Records:
    return {
        "1.3.6.1.2.1.1.1.0": ("4", descr),
        "1.3.6.1.2.1.1.2.0": ("6", object_id),
        "1.3.6.1.2.1.1.3.0": ("67", str(uptime)),
        "1.3.6.1.2.1.1.4.0": ("4", "数据局运维中心 ops@dsj.example.gov.cn"),
        "1.3.6.1.2.1.1.5.0": ("4", device.name),
        "1.3.6.1.2.1.1.6.0": ("4", device.location),
        "1.3.6.1.6.3.10.2.1.1.0": ("4x", device.engine_id),
    }


def _interfaces(
    device: Device, names: list[str], speed: int = 1000, loopback: bool = False
) -> Records:
    """ifTable, ifXTable and ipAddrTable; the i-th named port carries the i-th MAC."""
    ports: list[tuple[str, str | None, int]] = [("lo", None, 24)] if loopback else []
    ports += [
        (name, device.macs[i] if i < len(device.macs) else None, 6) for i, name in enumerate(names)
    ]
    records: Records = {}
    for index, (name, mac, kind) in enumerate(ports, start=1):
        column = f"1.3.6.1.2.1.2.2.1.{{}}.{index}"
        records[column.format(1)] = ("2", str(index))
        records[column.format(2)] = ("4", name)
        records[column.format(3)] = ("2", str(kind))
        records[column.format(5)] = ("66", str(min(speed, 4000) * 1_000_000))
        records[column.format(6)] = ("4x", _hex(mac) if mac else "")
        records[column.format(8)] = ("2", "1" if mac or kind == 24 else "2")
        records[column.format(10)] = ("65", str(1_234_567 * index))
        records[column.format(16)] = ("65", str(7_654_321 * index))
        x_column = f"1.3.6.1.2.1.31.1.1.1.{{}}.{index}"
        records[x_column.format(1)] = ("4", name)
        records[x_column.format(6)] = ("70", str(98_765_432_100 * index))
        records[x_column.format(10)] = ("70", str(12_345_678_900 * index))
        records[x_column.format(15)] = ("66", str(speed))
        records[x_column.format(18)] = ("4", "业务网" if mac else "")
    management = 2 if loopback else 1
    records[f"1.3.6.1.2.1.4.20.1.1.{device.address}"] = ("64", device.address)
    records[f"1.3.6.1.2.1.4.20.1.2.{device.address}"] = ("2", str(management))
    records[f"1.3.6.1.2.1.4.20.1.3.{device.address}"] = ("64", "255.255.255.0")
    return records


def _host_resources(device: Device, disk_label: str, cpu_name: str) -> Records:
    records: Records = {
        "1.3.6.1.2.1.25.1.1.0": ("67", "8640000"),
        "1.3.6.1.2.1.25.1.5.0": ("66", "2"),
        "1.3.6.1.2.1.25.1.6.0": ("66", "187"),
        "1.3.6.1.2.1.25.2.2.0": ("2", str(device.memory_mb * 1024)),
    }
    storage = (
        (
            1,
            "1.3.6.1.2.1.25.2.1.2",
            "Physical memory",
            1024,
            device.memory_mb * 1024,
            device.memory_mb * 300,
        ),
        (
            31,
            "1.3.6.1.2.1.25.2.1.4",
            disk_label,
            4096,
            device.disk_gb * 262_144,
            device.disk_gb * 90_000,
        ),
    )
    for index, kind, descr, unit, size, used in storage:
        column = f"1.3.6.1.2.1.25.2.3.1.{{}}.{index}"
        records[column.format(1)] = ("2", str(index))
        records[column.format(2)] = ("6", kind)
        records[column.format(3)] = ("4", descr)
        records[column.format(4)] = ("2", str(unit))
        records[column.format(5)] = ("2", str(size))
        records[column.format(6)] = ("2", str(used))
    for cpu in range(device.cpu_count):
        index = 196608 + cpu
        records[f"1.3.6.1.2.1.25.3.2.1.1.{index}"] = ("2", str(index))
        records[f"1.3.6.1.2.1.25.3.2.1.2.{index}"] = ("6", "1.3.6.1.2.1.25.3.1.3")
        records[f"1.3.6.1.2.1.25.3.2.1.3.{index}"] = ("4", cpu_name)
        records[f"1.3.6.1.2.1.25.3.3.1.2.{index}"] = ("2", str(5 + (cpu * 7) % 40))
    disk_descr = "VMware Virtual disk" if device.virtual else "LSI MegaRAID SAS"
    records["1.3.6.1.2.1.25.3.2.1.1.393216"] = ("2", "393216")
    records["1.3.6.1.2.1.25.3.2.1.2.393216"] = ("6", "1.3.6.1.2.1.25.3.1.6")
    records["1.3.6.1.2.1.25.3.2.1.3.393216"] = ("4", disk_descr)
    return records


def _entity_chassis(
    serial: str, model: str, descr: str, firmware: str, software: str, vendor: str
) -> Records:
    column = "1.3.6.1.2.1.47.1.1.1.1.{}.1"
    return {
        column.format(2): ("4", descr),
        column.format(5): ("2", "3"),
        column.format(7): ("4", "chassis"),
        column.format(9): ("4", firmware),
        column.format(10): ("4", software),
        column.format(11): ("4", serial),
        column.format(12): ("4", vendor),
        column.format(13): ("4", model),
    }


def linux(device: Device) -> Records:
    kernel = next(
        (k for word, k in KERNELS.items() if word in (device.os_name or "")),
        KERNELS["CentOS Linux 7"],
    )
    descr = f"Linux {device.name} {kernel} #1 SMP x86_64"
    return {
        **_system(device, descr, "1.3.6.1.4.1.8072.3.2.10"),
        **_interfaces(device, [f"eth{i}" for i in range(max(1, len(device.macs)))], loopback=True),
        **_host_resources(device, "/", "GenuineIntel: Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz"),
    }


def windows(device: Device) -> Records:
    descr = (
        "Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - "
        "Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)"
    )
    return {
        **_system(device, descr, "1.3.6.1.4.1.311.1.1.3.1.3"),
        **_interfaces(device, ["Intel(R) Ethernet Connection X722 for 10GbE SFP+"]),
        **_host_resources(
            device, "C:\\ Label:  Serial Number 8c2f1a3e", "Intel64 Family 6 Model 85 Stepping 7"
        ),
    }


def huawei_ibmc(device: Device) -> Records:
    return {
        **_system(device, "Huawei iBMC", "1.3.6.1.4.1.2011.2.235.1.1.1"),
        **_interfaces(device, ["eth2"]),
        "1.3.6.1.4.1.2011.2.235.1.1.1.6.0": ("4", device.model or ""),
        "1.3.6.1.4.1.2011.2.235.1.1.1.7.0": ("4", device.serial or ""),
        "1.3.6.1.4.1.2011.2.235.1.1.1.10.0": ("4", (device.system_uuid or "").upper()),
    }


def dell_idrac(device: Device) -> Records:
    return {
        **_system(
            device,
            "Dell Out-of-band SNMP Agent for Remote Access Controller",
            "1.3.6.1.4.1.674.10892.5",
        ),
        **_interfaces(device, ["NIC.Embedded.1"]),
        "1.3.6.1.4.1.674.10892.5.1.3.2.0": ("4", device.serial or ""),
        "1.3.6.1.4.1.674.10892.5.1.3.12.0": ("4", device.model or ""),
    }


def hpe_ilo(device: Device) -> Records:
    return {
        **_system(device, "Integrated Lights-Out 5 2.72 Sep 04 2022", "1.3.6.1.4.1.232.9.4.11"),
        **_interfaces(device, ["iLO Dedicated Network Port"]),
        "1.3.6.1.4.1.232.2.2.2.1.0": ("4", device.serial or ""),
        "1.3.6.1.4.1.232.2.2.4.2.0": ("4", device.model or ""),
    }


def _network(
    device: Device, descr: str, object_id: str, ports: list[str], software: str
) -> Records:
    return {
        **_system(device, descr, object_id),
        **_interfaces(device, ports),
        **_entity_chassis(
            device.serial or "",
            device.model or "",
            descr.splitlines()[0],
            "",
            software,
            device.vendor or "",
        ),
    }


def h3c_switch(device: Device) -> Records:
    descr = (
        f"H3C Comware Platform Software, Software Version 7.1.070, Release 6616P01\r\n"
        f"H3C {device.model}\r\nCopyright (c) 2004-2021 New H3C Technologies Co., Ltd."
    )
    return _network(
        device,
        descr,
        "1.3.6.1.4.1.25506.11.1.239",
        [f"GigabitEthernet1/0/{i}" for i in range(1, 5)],
        "7.1.070",
    )


def huawei_firewall(device: Device) -> Records:
    descr = (
        "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 "
        "(USG6500E V600R007C20SPC600)\r\n"
        f"Copyright (C) 2014-2022 Huawei Technologies Co., Ltd.\r\nHUAWEI {device.model}"
    )
    return _network(
        device,
        descr,
        "1.3.6.1.4.1.2011.2.365",
        ["GigabitEthernet0/0/0", "GigabitEthernet1/0/0"],
        "V600R007C20SPC600",
    )


def huawei_storage(device: Device) -> Records:
    descr = f"Huawei OceanStor {device.model} V500R007C60"
    return _network(device, descr, "1.3.6.1.4.1.34774.4", ["MGMT0"], "V500R007C60")


def cisco_switch(device: Device) -> Records:
    descr = (
        "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E3, "
        "RELEASE SOFTWARE (fc3)\r\nTechnical Support: http://www.cisco.com/techsupport"
    )
    return _network(
        device,
        descr,
        "1.3.6.1.4.1.9.1.1208",
        [f"GigabitEthernet1/0/{i}" for i in range(1, 5)],
        "15.2(7)E3",
    )


def ruijie_switch(device: Device) -> Records:
    descr = f"Ruijie Networks {device.model} By Ruijie Networks Co., Ltd, RGOS 11.4(1)B12P3"
    return _network(
        device,
        descr,
        "1.3.6.1.4.1.4881.1.1.10.1.284",
        [f"GigabitEthernet 0/{i}" for i in range(1, 5)],
        "11.4(1)B12P3",
    )


def zte_switch(device: Device) -> Records:
    descr = (
        f"ZXR10 ROS Version V4.08.23 ZXR10 {device.model} Software, Copyright (c) ZTE Corporation"
    )
    return _network(
        device, descr, "1.3.6.1.4.1.3902.3.100.1", ["gei-0/1/0/1", "gei-0/1/0/2"], "V4.08.23"
    )


def hillstone_firewall(device: Device) -> Records:
    descr = f"Hillstone Networks StoneOS software Version 5.5R8 {device.model}"
    return _network(device, descr, "1.3.6.1.4.1.28557.1.1", ["ethernet0/0", "ethernet0/1"], "5.5R8")


def vmware_esxi(device: Device) -> Records:
    return {
        **_system(
            device, "VMware ESXi 7.0.3 build-21930508 VMware, Inc. x86_64", "1.3.6.1.4.1.6876.4.1"
        ),
        **_interfaces(device, ["vmnic0", "vmnic1"]),
        **_host_resources(
            device, "/vmfs/volumes/datastore1", "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz"
        ),
        **_entity_chassis(
            device.serial or "", device.model or "", "PowerEdge chassis", "", "", "Dell Inc."
        ),
        "1.3.6.1.4.1.6876.1.1.0": ("4", "VMware ESXi"),
        "1.3.6.1.4.1.6876.1.2.0": ("4", "7.0.3"),
    }


def apc_ups(device: Device) -> Records:
    descr = "APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.8.2 PN:apc_hw05_aos_682.bin AF1:v6.8.2)"
    return _network(device, descr, "1.3.6.1.4.1.318.1.3.27", ["LanCard"], "v6.8.2")


TEMPLATES = {
    "linux": linux,
    "windows": windows,
    "huawei_ibmc": huawei_ibmc,
    "dell_idrac": dell_idrac,
    "hpe_ilo": hpe_ilo,
    "h3c_switch": h3c_switch,
    "huawei_firewall": huawei_firewall,
    "huawei_storage": huawei_storage,
    "cisco_switch": cisco_switch,
    "ruijie_switch": ruijie_switch,
    "zte_switch": zte_switch,
    "hillstone_firewall": hillstone_firewall,
    "vmware_esxi": vmware_esxi,
    "apc_ups": apc_ups,
}


def render(records: Records) -> str:
    """An snmprec file: one ``oid|tag|value`` line per record, in OID order."""
    ordered = sorted(records.items(), key=lambda item: tuple(int(p) for p in item[0].split(".")))
    return "".join(f"{oid}|{_line_safe(tag, value)}\n" for oid, (tag, value) in ordered)


def _line_safe(tag: str, value: str) -> str:
    # snmprec is one record per line: multi-line or non-ASCII text goes as hex,
    # which is also how such strings travel (UTF-8 octets).
    if tag == "4" and not (value.isascii() and value.isprintable() and "|" not in value):
        return f"4x|{value.encode().hex()}"
    return f"{tag}|{value}"
