"""A lab of Linux servers over SSH without sudo: vendor and model, or a reason (issue 19).

Done when: "On a lab of Linux servers reached over SSH without sudo, vendor and
model are filled for every server whose firmware exposes them, and every server
without them carries a value error saying why."

Each server is OpenSSH's own sshd on loopback; the login is the unprivileged
account `inventory-test` with its password, and the profile allows no sudo.
The servers differ in the firmware their sessions see: each runs in a mount
namespace (unshare) whose /sys/class is this machine's, entry for entry, except
for dmi: hidden (a server without SMBIOS) or a recorded server's
/sys/class/dmi/id with the kernel's own file modes (serial and UUID 0400, root
only). The machine itself is a server too, with whatever firmware it has.
"""

from __future__ import annotations

import os
import pwd
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from collectors.observation import Observation
from collectors.smbios import is_placeholder
from collectors.ssh.client import SshCredential, collect_server
from collectors.ssh.hardware import read_dmidecode
from collectors.targets import Target
from inventory.domain.scan_options import ScanOptions
from inventory.services import discovery
from inventory.services.context import Actor
from tests.agents import PASSWORD, PASSWORD_USER, RealSshd

pytestmark = pytest.mark.integration

DATA = Path(__file__).parents[2] / "data" / "ssh" / "dmidecode"
NO_SUDO = "dmidecode not permitted (the login is not root and the profile allows no sudo)"
# The kernel's modes for /sys/class/dmi/id (drivers/firmware/dmi-id.c): 0400 for these.
ROOT_ONLY = {"product_serial", "product_uuid", "board_serial", "chassis_serial"}
# Moves every /sys/class entry but dmi into the prepared view, then the view over /sys/class.
NAMESPACE = (
    "view=$1; shift; for entry in /sys/class/*; do name=${entry##*/}; "
    '[ "$name" = dmi ] || mount --bind "$entry" "$view/$name"; done; '
    'mount --rbind "$view" /sys/class && exec "$@"'
)


def recorded_firmware(name: str) -> dict[str, str]:
    """sysfs file contents for a recorded server, from its dmidecode output."""
    values = read_dmidecode((DATA / name).read_text()).values
    values["product_uuid"] = values["product_uuid"].lower()  # the kernel prints lower case
    values["chassis_type"] = "23"  # rack mount, as dmidecode -t3 on an R720 says
    return {k: "" if v == "Not Specified" else v for k, v in values.items()}


def firmware_view(root: Path, dmi: dict[str, str] | None) -> Path:
    """An empty directory per /sys/class entry, plus dmi/id/* when there is firmware."""
    view = root / "sysclass"
    for entry in os.listdir("/sys/class"):
        if entry != "dmi":
            (view / entry).mkdir(parents=True)
    if dmi is not None:
        ids = view / "dmi" / "id"
        ids.mkdir(parents=True)
        for name, value in dmi.items():
            (ids / name).write_text(f"{value}\n")
            (ids / name).chmod(0o400 if name in ROOT_ONLY else 0o444)
    return view


def server(root: Path, dmi: dict[str, str] | bool | None) -> RealSshd:
    """True: this machine's own firmware; None: no SMBIOS; a dict: that firmware."""
    root.mkdir()
    if dmi is True:
        return RealSshd(root).start()
    view = firmware_view(root, dmi if isinstance(dmi, dict) else None)
    launcher = ["unshare", "--mount", "--propagation", "private", "sh", "-c", NAMESPACE]
    return RealSshd(root, launcher=[*launcher, "sh", str(view)]).start()


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[dict[str, RealSshd]]:
    if not (shutil.which("sshd") or Path("/usr/sbin/sshd").exists()):
        pytest.skip("OpenSSH server (sshd) is not installed")
    if os.geteuid() != 0:
        pytest.skip("the lab's sshd and mount namespaces need root (CI runs as root)")
    try:
        pwd.getpwnam(PASSWORD_USER)
    except KeyError:
        pytest.skip(f"no local account {PASSWORD_USER!r} (.ci/run creates it)")
    servers: dict[str, RealSshd] = {}
    try:
        servers["this-machine"] = server(tmp_path / "this", True)
        servers["no-smbios"] = server(tmp_path / "none", None)
        servers["dell-r720"] = server(
            tmp_path / "r720", recorded_firmware("dell-r720-smbios27.txt")
        )
        yield servers
    finally:
        for running in servers.values():
            running.stop()


def login() -> SshCredential:
    return SshCredential("ops-pw", PASSWORD_USER, password=PASSWORD, trust_on_first_use=True)


def facts(sshd: RealSshd) -> Observation:
    result = collect_server(Target(sshd.address, sshd.port), login(), {})
    assert result.observation is not None, result.error
    return result.observation


def this_machines_firmware() -> tuple[str | None, str | None]:
    base = Path("/sys/class/dmi/id")
    read = [
        (base / name).read_text().strip() if (base / name).exists() else None
        for name in ("sys_vendor", "product_name")
    ]
    return read[0], read[1]


def test_every_server_has_vendor_and_model_or_a_reason(lab: dict[str, RealSshd]) -> None:
    dell = facts(lab["dell-r720"])
    assert (dell.vendor, dell.model) == ("Dell Inc.", "PowerEdge R720")
    assert dell.device_class == "server"
    assert dell.serial_number is None  # 0400 in sysfs: the login cannot read it
    assert dell.value_errors == [
        "serial and UUID: /sys/class/dmi/id/product_serial, product_uuid readable by root "
        f"only, and {NO_SUDO}"
    ]

    bare = facts(lab["no-smbios"])
    assert (bare.vendor, bare.model) == (None, None)
    assert bare.value_errors == [f"no SMBIOS: /sys/class/dmi/id absent and {NO_SUDO}"]

    here = facts(lab["this-machine"])
    vendor, model = this_machines_firmware()
    if vendor is None:  # a Firecracker VM or a container: no DMI at all
        assert here.value_errors[0] == f"no SMBIOS: /sys/class/dmi/id absent and {NO_SUDO}"
    elif is_placeholder(vendor) or is_placeholder(model):
        assert here.value_errors[0].startswith("vendor/model: the firmware left placeholders")
    else:
        assert (here.vendor, here.model) == (vendor, model)
    for observation in (dell, bare, here):
        assert observation.name
        assert observation.memory_mb
        assert (observation.vendor and observation.model) or observation.value_errors


def test_sudo_is_tried_only_where_the_profile_allows_it_and_its_refusal_is_the_reason(
    lab: dict[str, RealSshd],
) -> None:
    bare = lab["no-smbios"]
    allowed = SshCredential(
        "ops-pw", PASSWORD_USER, password=PASSWORD, trust_on_first_use=True, allow_sudo=True
    )
    result = collect_server(Target(bare.address, bare.port), allowed, {})
    assert result.observation is not None, result.error
    (error,) = result.observation.value_errors
    # inventory-test has no sudo rights: sudo -n refuses at once instead of prompting.
    assert error.startswith("no SMBIOS: /sys/class/dmi/id absent and dmidecode via sudo failed: ")
    assert "sudo" in error.removeprefix("no SMBIOS: /sys/class/dmi/id absent and dmidecode via")


def test_the_scan_record_says_which_server_has_no_smbios(
    lab: dict[str, RealSshd], engine: sa.Engine
) -> None:
    from sqlmodel import select

    from inventory.db.engine import session_scope
    from inventory.models import Scan

    bare = lab["no-smbios"]
    with session_scope(engine) as session:
        plan = discovery.plan_scan(
            session,
            [bare.address],
            [],
            ScanOptions(timeout=1, ssh_port=bare.port),
            ssh_credentials=[login()],
        )
    outcome = discovery.run_scan(engine, Actor("user:ops"), plan, [bare.address], 30)
    target = f"{bare.address}:{bare.port}"
    assert outcome.value_errors == {target: [f"no SMBIOS: /sys/class/dmi/id absent and {NO_SUDO}"]}
    with session_scope(engine) as session:
        (scan,) = session.exec(select(Scan)).all()
        assert scan.value_errors == outcome.value_errors
        assert scan.target_errors == {}  # it answered; only the values are missing
