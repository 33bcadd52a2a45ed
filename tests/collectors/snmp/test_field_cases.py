"""Field cases: devices and agents nobody here built, with the answer a person gives.

Inputs are copies of the shared field cases (tests/data/snmp): six real
devices' system groups (field_fingerprints.tsv) and snmpsim recordings of
agents that wrap sizes, send GBK and print MACs without leading zeros.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from collectors.observation import Observation
from collectors.snmp.fingerprint import fingerprint
from collectors.snmp.fingerprint_probes import (
    HIKVISION_MAKER,
    HR_INITIAL_LOAD_PARAMETERS,
    probe_oids,
)
from collectors.snmp.parse import parse
from collectors.snmp.snmprec import load_snmprec, replay
from collectors.snmp.types import Oid

DATA = Path(__file__).parents[2] / "data" / "snmp"
SEEN = datetime(2026, 11, 30, tzinfo=UTC)


def observe(name: str, extra: str = "") -> Observation:
    text = (DATA / name).read_text(encoding="utf-8") + extra
    return parse(replay(load_snmprec(text.splitlines())), "10.36.5.17", "lab", SEEN)


def field_devices() -> list[tuple[str, str, str, str, str]]:
    with (DATA / "field_fingerprints.tsv").open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return [(o, d.replace("\\n", "\n"), v, c, note) for o, d, v, c, note in rows]


@pytest.mark.parametrize(("object_id", "descr", "vendor", "device_class", "note"), field_devices())
def test_field_devices_are_filed_as_people_who_know_them_file_them(
    object_id: str, descr: str, vendor: str, device_class: str, note: str
) -> None:
    oid = Oid.parse(object_id)
    # What a generic agent's vendor probe returns on a DiskStation (LibreNMS's dsm recording).
    probed = {HR_INITIAL_LOAD_PARAMETERS: b"syno_hw_version"} if vendor == "Synology" else {}
    found = fingerprint(oid, descr, probed)
    assert (found.vendor, found.device_class) == (vendor, device_class), note


def test_aix_is_named_though_sysdescr_does_not_start_with_it() -> None:
    (aix,) = [row for row in field_devices() if row[2] == "IBM"]
    found = fingerprint(Oid.parse(aix[0]), aix[1])
    assert (found.os_name, found.os_version) == ("AIX", "6.1.9.300")


def test_models_come_from_sysdescr_where_it_names_them() -> None:
    models = {row[2]: fingerprint(Oid.parse(row[0]), row[1]).model for row in field_devices()}
    assert models["Ruijie"] == "S6220-48XS4QXS"  # no "RGOS" and no "RG-" in the text
    assert (
        fingerprint(Oid.parse("1.3.6.1.4.1.2011.2.224.62"), field_devices()[4][1]).model == "AR169F"
    )


def test_a_generic_agent_is_probed_for_nas_and_bmc_subtrees() -> None:
    asked = {str(oid) for oid in probe_oids(Oid.parse("1.3.6.1.4.1.8072.3.2.10"))}
    assert "1.3.6.1.4.1.6574.1.5.1.0" in asked  # Synology modelName
    assert "1.3.6.1.4.1.24681.1.2.12.0" in asked  # QNAP model
    assert str(HR_INITIAL_LOAD_PARAMETERS) in asked
    # A vendor's own agent is asked only about its own subtree.
    own = {str(oid) for oid in probe_oids(Oid.parse("1.3.6.1.4.1.2011.2.235.1.1.1"))}
    assert own
    assert all(oid.startswith("1.3.6.1.4.1.2011.2.235.") for oid in own)


def test_an_unregistered_object_id_is_probed_like_a_generic_agent() -> None:
    # Hikvision cameras answer 1.3.6.1.4.1.50001 (LibreNMS tests/snmpsim/hikvision.snmprec).
    camera = probe_oids(Oid.parse("1.3.6.1.4.1.50001"))
    assert HIKVISION_MAKER in camera
    assert HIKVISION_MAKER not in probe_oids(Oid.parse("1.3.6.1.4.1.2011.2.23.96"))
    found = fingerprint(Oid.parse("1.3.6.1.4.1.50001"), "x", {HIKVISION_MAKER: b"Hikvision"})
    assert (found.vendor, found.device_class) == ("Hikvision", "other")


def test_a_synology_behind_net_snmp_reads_model_serial_and_dsm_from_its_subtree() -> None:
    synology = (
        "1.3.6.1.4.1.6574.1.5.1.0|4|DS918+\n"
        "1.3.6.1.4.1.6574.1.5.2.0|4|1780PDN123456\n"
        "1.3.6.1.4.1.6574.1.5.3.0|4|DSM 7.1.1-42962\n"
    )
    o = observe("vm-rawmac.snmprec", synology)
    assert (o.vendor, o.device_class, o.os_name) == ("Synology", "storage", "DSM")
    assert (o.model, o.serial_number, o.os_version) == (
        "DS918+",
        "1780PDN123456",
        "DSM 7.1.1-42962",
    )


def test_wrapped_integer32_storage_sizes_are_read_unsigned() -> None:
    # 02-hrstorage-negative: D: is 2^32 - 1610629377 units of 8 KiB (20,479 GiB), C: 100 GiB.
    o = observe("windows-20tb.snmprec")
    assert o.disk_total_gb == 20579
    assert not o.value_errors


def test_an_unreadable_disk_size_is_a_value_error_not_a_silent_drop() -> None:
    text = (DATA / "windows-20tb.snmprec").read_text()
    broken = text.replace(
        "1.3.6.1.2.1.25.2.3.1.5.2|2|-1610629377", "1.3.6.1.2.1.25.2.3.1.5.2|4|n/a"
    )
    o = parse(replay(load_snmprec(broken.splitlines())), "10.1.1.1", "lab", SEEN)
    assert o.disk_total_gb == 99  # C: alone
    assert any("hrStorage 2" in e and "D:" in e for e in o.value_errors)


def test_short_gbk_strings_that_are_also_utf8_are_read_as_gbk() -> None:
    o = observe("windows-zh-gbk.snmprec")
    assert (o.name, o.location) == ("实训平台", "3楼")
    assert [i.alias for i in o.interfaces] == ["学院"]
    assert o.os_name == "Windows Server 2016"  # build 14393


@pytest.mark.parametrize("recording", ["vm-textmac.snmprec", "vm-rawmac.snmprec"])
def test_a_mac_without_leading_zeros_is_normalised_and_names_the_hypervisor(recording: str) -> None:
    o = observe(recording)
    assert o.macs == ["00:0c:29:71:86:17"]
    assert (o.device_class, o.is_virtual, o.hypervisor) == ("virtual_machine", True, "VMware")
    assert o.os_name == "RHEL/CentOS"
