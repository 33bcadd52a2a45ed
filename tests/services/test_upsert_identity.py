"""Identity in real estates: the field cases of tests/data/discovery, merged as a scan merges.

Each case is a kind of fault others' inventories hit (cloned machines,
placeholder serials, MAC notations, multi-homed devices); the inputs are the
project's own collector output for such machines, parsed by the real parsers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from collectors.observation import TargetResult
from collectors.snmp.parse import parse as parse_snmp
from collectors.snmp.snmprec import load_snmprec, replay
from collectors.ssh.parse import parse as parse_ssh
from collectors.targets import Target
from inventory.db.types import utcnow
from inventory.domain.choices import ReviewKind, ScanKind
from inventory.interchange.importer import import_file
from inventory.models import Asset, AssetAddress, AssetMac, AuditEvent, ReviewItem, Scan
from inventory.models.base import pk
from inventory.services import discovery, review
from inventory.services.context import Actor

CASES = Path(__file__).parent.parent / "data" / "discovery"
TEMPLATE_KEY = "SHA256:template+host+key+copied+with+the+image0000"


def ssh_result(case: str, name: str, address: str, host_key: str) -> TargetResult:
    observation = parse_ssh((CASES / case / name).read_text(), address, "ops-key", utcnow())
    observation.ssh_host_key = host_key
    return TargetResult(Target(address, 22), observation, responded=True)


def snmp_result(case: str, name: str, address: str) -> TargetResult:
    values = load_snmprec((CASES / case / name).read_text().splitlines())
    observation = parse_snmp(replay(values), address, "lab", utcnow())
    return TargetResult(Target(address, 161), observation, responded=True)


def new_scan(session: Session, actor: Actor, kind: ScanKind = ScanKind.SSH) -> Scan:
    return discovery.start_scan(session, actor, kind, ["10.33.2.0/24"], ["ops-key"], {})


def all_assets(session: Session) -> list[Asset]:
    session.flush()
    session.expire_all()  # the upsert writes through Core, past the session's objects
    return list(session.exec(select(Asset).order_by(col(Asset.id))))


def open_reviews(session: Session) -> list[ReviewItem]:
    return list(session.exec(select(ReviewItem).where(ReviewItem.status == "open")))


def clones(copied_key: bool) -> tuple[TargetResult, TargetResult]:
    keys = (TEMPLATE_KEY, TEMPLATE_KEY) if copied_key else ("SHA256:regenerated1", "SHA256:re2")
    return (
        ssh_result("03-cloned-machine-id", "clone1-ssh.out", "10.33.2.11", keys[0]),
        ssh_result("03-cloned-machine-id", "clone2-ssh.out", "10.33.2.12", keys[1]),
    )


@pytest.mark.parametrize("copied_key", [False, True], ids=["keys-regenerated", "key-copied"])
def test_cloned_vms_in_one_batch_are_two_assets(
    session: Session, actor: Actor, copied_key: bool
) -> None:
    """Case 03: a machine-id two live machines share is not identity; nothing is overwritten."""
    scan = new_scan(session, actor)
    outcome = discovery.merge_results(session, scan, list(clones(copied_key)))
    assert outcome.counts["created"] == 2
    assert {a.name for a in all_assets(session)} == {"ybj-web-01", "ybj-web-02"}
    assert not open_reviews(session)


@pytest.mark.parametrize("copied_key", [False, True], ids=["keys-regenerated", "key-copied"])
def test_cloned_vms_in_two_batches_of_one_scan_are_two_assets(
    session: Session, actor: Actor, copied_key: bool
) -> None:
    scan = new_scan(session, actor)
    first, second = clones(copied_key)  # seen after the scan started, as a sweep sees them
    discovery.merge_results(session, scan, [first])
    discovery.merge_results(session, scan, [second])
    assert [a.name for a in all_assets(session)] == ["ybj-web-01", "ybj-web-02"]
    assert not open_reviews(session)
    # Re-scans land each clone on its own asset by its MACs and change nothing.
    again = discovery.merge_results(session, new_scan(session, actor), [second, first])
    assert (again.counts["created"], again.counts["unchanged"]) == (0, 2)
    assert not open_reviews(session)


@pytest.mark.parametrize("copied_key", [False, True], ids=["keys-regenerated", "key-copied"])
def test_a_clone_appearing_while_its_template_is_not_seen_goes_to_review(
    session: Session, actor: Actor, copied_key: bool
) -> None:
    """At worst a review item: never the template's asset silently overwritten by the clone."""
    first, second = clones(copied_key)
    discovery.merge_results(session, new_scan(session, actor), [first])
    outcome = discovery.merge_results(session, new_scan(session, actor), [second])
    (item,) = open_reviews(session)
    assert item.kind is ReviewKind.IDENTITY_CONFLICT
    assert outcome.counts["conflicts"] == 1
    assert [a.name for a in all_assets(session)] == ["ybj-web-01"]
    # Seen again before anyone decided: the open item stands, none is queued twice.
    again = discovery.merge_results(session, new_scan(session, actor), [second])
    assert again.counts["conflicts"] == 1
    assert [r.id for r in open_reviews(session)] == [item.id]


def test_a_clone_a_person_called_new_is_recognised_on_every_later_scan(
    session: Session, actor: Actor
) -> None:
    """After review says 'another machine', the shared machine-id decides nothing: MACs do."""
    first, second = clones(copied_key=True)
    discovery.merge_results(session, new_scan(session, actor), [first])
    discovery.merge_results(session, new_scan(session, actor), [second])
    (item,) = open_reviews(session)
    review.resolve(session, actor, pk(item), review.Action.NEW, "机房核实: 模板克隆的另一台虚拟机")
    assert [a.name for a in all_assets(session)] == ["ybj-web-01", "ybj-web-02"]
    again = discovery.merge_results(session, new_scan(session, actor), [second, first])
    assert (again.counts["created"], again.counts["conflicts"], again.counts["unchanged"]) == (
        0,
        0,
        2,
    )
    assert not open_reviews(session)


def test_placeholder_serial_without_spaces_is_dropped(session: Session, actor: Actor) -> None:
    """Case 07: two whitebox servers saying 'SystemSerialNumber': two assets, no review."""
    batch = [
        ssh_result("07-placeholder-serial-nospace", "asus1-ssh.out", "10.38.1.31", "SHA256:a1"),
        ssh_result("07-placeholder-serial-nospace", "asus2-ssh.out", "10.38.1.32", "SHA256:a2"),
    ]
    discovery.merge_results(session, new_scan(session, actor), batch)
    found = all_assets(session)
    assert [a.name for a in found] == ["jyj-nas-01", "jyj-nas-02"]
    assert all(a.serial_number is None for a in found)
    assert not open_reviews(session)


@pytest.mark.parametrize("recording", ["vm-rawmac.snmprec", "vm-textmac.snmprec"])
def test_a_mac_without_leading_zeros_lands_on_the_ledger_row(
    session: Session, actor: Actor, recording: str
) -> None:
    """Case 05: the ledger's '0:c:29:71:86:17' and the scan's MAC are one value: one asset."""
    case = CASES / "05-mac-without-leading-zeros"
    report = import_file(session, actor, case / "ledger.csv", "assets")
    assert report.written, report.errors
    (ledger,) = all_assets(session)
    result = snmp_result(case.name, recording, "10.36.5.17")
    discovery.merge_results(session, new_scan(session, actor, ScanKind.SNMP), [result])
    (asset,) = all_assets(session)
    assert (asset.uid, asset.asset_tag) == (ledger.uid, "ZC2019110042")
    assert asset.hypervisor == "VMware"  # recognised as a VMware guest by its MAC
    macs = session.exec(select(AssetMac.mac)).all()
    assert macs == ["00:0c:29:71:86:17"]
    assert not open_reviews(session)


def test_a_multi_homed_device_rescanned_is_unchanged(session: Session, actor: Actor) -> None:
    """Case 11: one firewall on two addresses is one asset; a re-scan writes nothing."""
    case = "11-one-device-two-ips"

    def scan() -> dict[str, int]:
        batch = [snmp_result(case, "firewall.snmprec", a) for a in ("127.0.0.81", "127.0.0.82")]
        return discovery.merge_results(
            session, new_scan(session, actor, ScanKind.SNMP), batch
        ).counts

    first = scan()
    (asset,) = all_assets(session)
    addresses = set(session.exec(select(AssetAddress.address)).all())
    assert first["created"] == 1
    assert addresses == {"127.0.0.81", "127.0.0.82"}
    events_before = len(session.exec(select(AuditEvent)).all())
    for _ in range(2):
        again = scan()
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    events = session.exec(select(AuditEvent)).all()
    assert not [e for e in events if e.action == "asset.update"]
    assert not [e for e in events if e.object_type == "asset" and not e.before and not e.after]
    # Only the scans' own records were written, no asset event.
    assert {e.object_type for e in events[events_before:]} == {"scan"}
    session.refresh(asset)
    assert asset.primary_address in addresses


def test_a_uuid_read_in_the_other_byte_order_is_neither_a_new_asset_nor_a_change(
    session: Session, actor: Actor
) -> None:
    """dmidecode on SMBIOS 2.6+ and an old kernel's sysfs print the first three fields swapped."""
    case = "07-placeholder-serial-nospace"
    first = ssh_result(case, "asus1-ssh.out", "10.38.1.31", "SHA256:a1")
    discovery.merge_results(session, new_scan(session, actor), [first])
    (asset,) = all_assets(session)
    assert asset.system_uuid == "a1b2c3d4-1111-4e5f-8a9b-0c1d2e3f4a01"
    again = ssh_result(case, "asus1-ssh.out", "10.38.1.31", "SHA256:a1")
    assert again.observation is not None
    again.observation.system_uuid = "D4C3B2A1-1111-5F4E-8A9B-0C1D2E3F4A01"
    outcome = discovery.merge_results(session, new_scan(session, actor), [again])
    assert (outcome.counts["created"], outcome.counts["unchanged"]) == (0, 1)
    (asset,) = all_assets(session)
    assert asset.system_uuid == "a1b2c3d4-1111-4e5f-8a9b-0c1d2e3f4a01"
