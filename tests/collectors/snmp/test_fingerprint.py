"""Fingerprinting: the rules table, checked on what real devices print."""

from __future__ import annotations

import pytest

from collectors.snmp.enterprises import ENTERPRISES, canonical_vendor
from collectors.snmp.fingerprint import (
    RULES,
    fingerprint,
    hypervisor_of_mac,
    linux_distribution,
)
from collectors.snmp.fingerprint_rules import DEVICE_CLASSES
from collectors.snmp.os_names import windows_release
from collectors.snmp.types import Oid
from inventory.domain.choices import DeviceClass

# sysObjectID, sysDescr, vendor, class, os, version, model (None: not claimed)
SAMPLES = [
    (
        "1.3.6.1.4.1.2011.2.23.469",
        "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 (S5720 "
        "V200R011C10SPC600)\r\nCopyright (C) 2000-2018 HUAWEI TECH Co., Ltd.\r\n"
        "HUAWEI S5720-52X-SI-AC",
        "Huawei",
        "switch",
        "VRP",
        "5.170",
        "S5720-52X-SI-AC",
    ),
    (
        "1.3.6.1.4.1.2011.2.224.279",
        "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.160 (AR2200 "
        "V200R009C00SPC500)\r\nHUAWEI AR2240",
        "Huawei",
        "router",
        "VRP",
        "5.160",
        "AR2240",
    ),
    (
        "1.3.6.1.4.1.2011.2.365",
        "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 (USG6500E "
        "V600R007C20)\r\nHUAWEI USG6555E",
        "Huawei",
        "firewall",
        "VRP",
        "5.170",
        None,
    ),
    ("1.3.6.1.4.1.2011.2.235.1.1.1", "Huawei iBMC", "Huawei", "bmc", "iBMC", None, None),
    (
        "1.3.6.1.4.1.25506.11.1.239",
        "H3C Comware Platform Software, Software Version 7.1.070, Release 6616P01\r\n"
        "H3C S6520X-30QC-EI\r\nCopyright (c) 2004-2021 New H3C Technologies Co., Ltd.",
        "H3C",
        "switch",
        "Comware",
        "7.1.070",
        "S6520X-30QC-EI",
    ),
    (
        "1.3.6.1.4.1.25506.1.1",
        "H3C Comware Platform Software, Software Version 7.1.064, Release 0821P16\r\nH3C MSR3620",
        "H3C",
        "router",
        "Comware",
        "7.1.064",
        "MSR3620",
    ),
    (
        "1.3.6.1.4.1.9.1.1208",
        "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E3, "
        "RELEASE SOFTWARE (fc3)",
        "Cisco",
        "switch",
        "IOS",
        "15.2(7)E3",
        "C2960X",
    ),
    (
        "1.3.6.1.4.1.9.1.1041",
        "Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.4(3)M2",
        "Cisco",
        "router",
        "IOS",
        "15.4(3)M2",
        "C2900",
    ),
    (
        "1.3.6.1.4.1.9.1.2114",
        "Cisco Adaptive Security Appliance Version 9.12(4)",
        "Cisco",
        "firewall",
        "ASA",
        "9.12(4)",
        None,
    ),
    (
        "1.3.6.1.4.1.4881.1.1.10.1.284",
        "Ruijie Networks RG-S5750C-28GT4XS-H By Ruijie Networks Co., Ltd, RGOS 11.4(1)B12P3",
        "Ruijie",
        "switch",
        "RGOS",
        "11.4(1)B12P3",
        "RG-S5750C-28GT4XS-H",
    ),
    (
        "1.3.6.1.4.1.3902.3.100.1",
        "ZXR10 ROS Version V4.08.23 ZXR10 5250-28TM Software",
        "ZTE",
        "switch",
        "ZXROS",
        "V4.08.23",
        "5250-28TM",
    ),
    (
        "1.3.6.1.4.1.28557.1.1",
        "Hillstone Networks StoneOS software Version 5.5R8 SG-6000-E3960",
        "Hillstone",
        "firewall",
        "StoneOS",
        "5.5R8",
        "SG-6000-E3960",
    ),
    (
        "1.3.6.1.4.1.674.10892.5",
        "Dell Out-of-band SNMP Agent for Remote Access Controller",
        "Dell",
        "bmc",
        "iDRAC",
        None,
        None,
    ),
    (
        "1.3.6.1.4.1.232.9.4.11",
        "Integrated Lights-Out 5 2.72 Sep 04 2022",
        "HPE",
        "bmc",
        "iLO",
        "5 2.72",
        None,
    ),
    (
        "1.3.6.1.4.1.8072.3.2.10",
        "Inspur NF5280M5 BMC",
        "Inspur",
        "bmc",
        "Inspur BMC",
        None,
        "NF5280M5",
    ),
    (
        "1.3.6.1.4.1.8072.3.2.10",
        "Sugon I620-G30 BMC",
        "Sugon",
        "bmc",
        "Sugon BMC",
        None,
        "I620-G30",
    ),
    (
        "1.3.6.1.4.1.19046.11.1",
        "Lenovo XClarity Controller",
        "Lenovo",
        "bmc",
        "XClarity Controller",
        None,
        None,
    ),
    (
        "1.3.6.1.4.1.6876.4.1",
        "VMware ESXi 7.0.3 build-21930508 VMware, Inc. x86_64",
        None,
        "hypervisor",
        "VMware ESXi",
        "7.0.3",
        None,
    ),
    (
        "1.3.6.1.4.1.311.1.1.3.1.3",
        "Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: Windows "
        "Version 6.3 (Build 17763 Multiprocessor Free)",
        None,
        "server",
        "Windows Server 2019",
        "10.0.17763",
        None,
    ),
    (
        "1.3.6.1.4.1.8072.3.2.10",
        "Linux kylin-app01 4.19.90-24.4.v2101.ky10.x86_64 #1 SMP",
        None,
        "server",
        "Kylin",
        "4.19.90-24.4.v2101.ky10.x86_64",
        None,
    ),
    (
        "1.3.6.1.4.1.318.1.3.27",
        "APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.8.2 PN:apc_hw05_aos_682.bin)",
        "APC",
        "ups",
        "AOS",
        "6.8.2",
        None,
    ),
    (
        "1.3.6.1.4.1.34774.4",
        "Huawei OceanStor 5300 V5 V500R007C60",
        "Huawei",
        "storage",
        "OceanStor OS",
        "V500R007C60",
        "5300 V5",
    ),
]


@pytest.mark.parametrize(
    ("object_id", "descr", "vendor", "device_class", "os_name", "version", "model"), SAMPLES
)
def test_recorded_devices_are_recognised(
    object_id: str,
    descr: str,
    vendor: str | None,
    device_class: str,
    os_name: str,
    version: str | None,
    model: str | None,
) -> None:
    found = fingerprint(Oid.parse(object_id), descr)
    assert (found.vendor, found.device_class, found.os_name) == (vendor, device_class, os_name)
    assert found.os_version == version
    if model is not None:
        assert found.model == model


def test_operating_system_agents_do_not_claim_the_hardware_vendor() -> None:
    windows = fingerprint(Oid.parse("1.3.6.1.4.1.311.1.1.3.1.3"), "Windows Version 6.3")
    assert windows.vendor is None
    assert windows.os_inferred


def test_an_unknown_device_is_other_and_nothing_is_unknown() -> None:
    assert fingerprint(Oid.parse("1.3.6.1.4.1.99999.1"), "Mystery box").device_class == "other"
    assert fingerprint(None, None).device_class == "unknown"


def test_rules_are_ordered_by_priority_and_named_uniquely() -> None:
    priorities = [rule.priority for rule in RULES]
    assert priorities == sorted(priorities)
    assert len({rule.name for rule in RULES}) == len(RULES)


@pytest.mark.parametrize(
    ("kernel", "distribution"),
    [
        ("4.19.90-24.4.v2101.ky10.aarch64", "Kylin"),
        ("4.19.90-2107.6.0.0100.oe1.uel20.x86_64", "UOS"),
        ("5.10.0-60.18.0.50.oe2203.x86_64", "openEuler"),
        ("3.10.0-1160.el7.x86_64", "RHEL/CentOS"),
        ("5.15.0-91-generic", "Ubuntu"),
        ("6.1.0-13-amd64", "Debian"),
        ("6.18.44-custom", "Linux"),
    ],
)
def test_linux_distributions_from_kernel_releases(kernel: str, distribution: str) -> None:
    assert linux_distribution(kernel) == distribution


def test_virtual_macs_name_their_hypervisor() -> None:
    assert hypervisor_of_mac("00:50:56:aa:bb:cc") == "VMware"
    assert hypervisor_of_mac("52:54:00:12:34:56") == "KVM"
    assert hypervisor_of_mac("3c:4f:0e:b1:8c:a7") is None


def test_collectors_report_only_device_classes_the_ledger_stores() -> None:
    # Collectors never import inventory; this keeps their plain strings and the enum equal.
    assert set(DEVICE_CLASSES) == {c.value for c in DeviceClass}
    assert {rule.device_class for rule in RULES} <= set(DEVICE_CLASSES)
    assert {e.device_class for e in ENTERPRISES.values()} - {None} <= set(DEVICE_CLASSES)


@pytest.mark.parametrize(
    ("spelling", "vendor"),
    [
        ("Dell Inc.", "Dell"),
        ("Hewlett-Packard", "HPE"),
        ("Hewlett Packard Enterprise Development LP", "HPE"),
        ("HP", "HPE"),
        ("New H3C Technologies Co., Ltd.", "H3C"),
        ("Hangzhou H3C Tech. Co., Ltd.", "H3C"),
        ("HUAWEI TECHNOLOGIES CO., LTD", "Huawei"),
        ("Super Micro Computer, Inc.", "Supermicro"),
        ("Inspur", "Inspur"),
        ("Palo Alto Networks", "Palo Alto Networks"),
        ("Acme Widgets", "Acme Widgets"),
        ("  ", None),
    ],
)
def test_one_spelling_per_maker(spelling: str, vendor: str | None) -> None:
    assert canonical_vendor(spelling) == vendor


@pytest.mark.parametrize(
    ("build", "workstation", "name", "version"),
    [
        (17763, False, "Windows Server 2019", "10.0.17763"),
        (17763, True, "Windows 10 1809", "10.0.17763"),
        (14393, False, "Windows Server 2016", "10.0.14393"),
        (20348, False, "Windows Server 2022", "10.0.20348"),
        (7601, False, "Windows Server 2008 R2", "6.1.7601"),
        (9600, False, "Windows Server 2012 R2", "6.3.9600"),
        (22631, False, "Windows 11 23H2", "10.0.22631"),  # no server release of that build
        (99999, False, "Windows", "build 99999"),
    ],
)
def test_windows_builds_are_named_as_people_name_them(
    build: int, workstation: bool, name: str, version: str
) -> None:
    assert windows_release(build, workstation) == (name, version)


def test_workstation_edition_comes_from_microsofts_object_id() -> None:
    descr = "Hardware: x86 - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)"
    desktop = fingerprint(Oid.parse("1.3.6.1.4.1.311.1.1.3.1.1"), descr)
    assert desktop.os_name == "Windows 10 1809"


@pytest.mark.parametrize(
    ("number", "vendor"),
    [
        # Each checked against the IANA registry text in Wireshark's epan/sminmpec.c.
        (5651, "Maipu"),  # Maipu Electric Industrial Co., Ltd
        (6339, "DCN"),  # Digital China (Shanghai) Networks Ltd.
        (11863, "TP-Link"),  # TP-Link Technology Co.,Ltd
        (14331, "Topsec"),  # Beijing Topsec Network Security Technology Co., Ltd.
        (15227, "Venustech"),  # Venus Info Tech Inc.
        (20974, "AMI"),  # American Megatrends, Inc
        (31648, "DPtech"),  # HANGZHOU DPTECH Technologies Co., Ltd.
        (35047, "Sangfor"),  # Sangfor Technologies Co.,Ltd.
        (37945, "Inspur"),  # Inspur(BeiJing) Electronic Information Industry Co.,Ltd
        (39165, "Hikvision"),  # Hikvision Digital Technology Co., Ltd.
    ],
)
def test_chinese_estate_makers_are_named_by_their_registered_number(
    number: int, vendor: str
) -> None:
    assert fingerprint(Oid.parse(f"1.3.6.1.4.1.{number}.1.2"), None).vendor == vendor
    assert canonical_vendor(vendor) == vendor


def test_a_maker_that_makes_many_kinds_gets_no_class_from_its_number_alone() -> None:
    # Sangfor makes firewalls, WAN optimisers and hyper-converged servers.
    assert fingerprint(Oid.parse("1.3.6.1.4.1.35047.1"), None).device_class == "other"
    assert fingerprint(Oid.parse("1.3.6.1.4.1.14331.1"), None).device_class == "firewall"


def test_the_enterprise_number_alone_still_names_vendor_and_single_kind_class() -> None:
    found = fingerprint(Oid.parse("1.3.6.1.4.1.534.1"), "")
    assert (found.vendor, found.device_class) == ("Eaton", "ups")
    assert fingerprint(Oid.parse("1.3.6.1.4.1.8072.3.2.10"), "").vendor is None
