"""Fingerprints of recorded real devices, one row each (tests/data/snmp/fingerprints.tsv).

The rows come from public recordings, not from our own lab: LibreNMS's
test recordings, snmpsim's bundled walks and the system groups netdisco's
SNMP::Info tests replay. Each row cites its file as owner/repo:path@commit so
anyone can open the recording it was copied from. Vendor and class are always
claimed; OS, model and version where the row fills them in.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from collectors.snmp.fingerprint import fingerprint
from collectors.snmp.types import Oid, SnmpValue

DATA = Path(__file__).parents[2] / "data" / "snmp" / "fingerprints.tsv"


class Row(NamedTuple):
    source: str
    object_id: str
    descr: str
    probe: str
    vendor: str
    device_class: str
    os_name: str
    model: str
    os_version: str


def _unescape(text: str) -> str:
    return text.replace("\\r", "\r").replace("\\n", "\n")


def recorded() -> list[Row]:
    with DATA.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        return [Row(*row) for row in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def _probed(probe: str) -> dict[Oid, SnmpValue]:
    if not probe:
        return {}
    oid, value = probe.split("=", 1)
    return {Oid.parse(oid): value.encode()}


ROWS = recorded()


# owner/repo:path@commit, the commit a full 40-digit hash (no short prefixes, no search ids).
_CITATION = re.compile(r"^[\w.-]+/[\w.-]+:[^@\s]+@[0-9a-f]{40}$")


def test_every_recorded_device_cites_the_public_file_it_was_copied_from() -> None:
    uncited = [r.source for r in ROWS if not _CITATION.match(r.source)]
    assert uncited == []


def test_the_table_covers_the_estates_vendors_and_classes() -> None:
    assert len(ROWS) >= 60
    assert {r.device_class for r in ROWS} >= {
        "switch", "router", "firewall", "storage", "ups", "bmc", "server", "hypervisor"
    }  # fmt: skip
    assert len({r.vendor for r in ROWS}) >= 20
    # Chinese makers of DESIGN section 5's estates, each on a device of its own.
    assert {r.vendor for r in ROWS} >= {"Huawei", "H3C", "Ruijie", "ZTE", "Hillstone", "DCN"}


@pytest.mark.parametrize(
    "row",
    ROWS,
    ids=[
        f"{i}-{r.source.split(':')[1].split('@')[0].rsplit('/', 1)[-1]}" for i, r in enumerate(ROWS)
    ],
)
def test_a_recorded_device_is_filed_as_what_it_is(row: Row) -> None:
    object_id = Oid.parse(row.object_id) if row.object_id else None
    found = fingerprint(object_id, _unescape(row.descr) or None, _probed(row.probe))
    vendor = None if row.vendor == "-" else row.vendor
    assert (found.vendor, found.device_class) == (vendor, row.device_class), row.source
    for field in ("os_name", "model", "os_version"):
        if expected := getattr(row, field):
            assert getattr(found, field) == expected, (field, row.source)
