"""OS name and version from the release files of real distributions (issue 19, item 4).

Inputs are Ansible's distribution fixtures (tests/data/ssh/os-release/README.md),
fed in the fact script's order: /etc/os-release, /usr/lib/os-release,
/etc/redhat-release, /etc/SuSE-release, /etc/system-release; the first that exists wins.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from collectors.ssh.parse import parse
from collectors.ssh.script import MARKER, SECTIONS

DATA = Path(__file__).parents[2] / "data" / "ssh" / "os-release"
ORDER = (
    "/etc/os-release",
    "/usr/lib/os-release",
    "/etc/redhat-release",
    "/etc/SuSE-release",
    "/etc/system-release",
)


def release_section(fixture: str) -> str:
    files: dict[str, str] = json.loads((DATA / fixture).read_text())["input"]
    return next((files[path] for path in ORDER if path in files), "")


@pytest.mark.parametrize(
    ("fixture", "name", "version"),
    [
        ("centos_6.7.json", "CentOS", "6.7"),
        ("sles_11.3.json", "SUSE Linux Enterprise Server", "11.3"),  # no os-release yet
        ("sles_11.4.json", "SLES", "11.4"),
        ("kylin_linux_advanced_server_v10.json", "Kylin Linux Advanced Server", "V10"),
        ("uniontech_os_server_20_uel20.json", "UnionTech OS Server 20", "20"),
        ("uos_server_20_uelc20.json", "UOS Server 20", "20"),
        ("uos_20.json", "UnionTech OS Server 20", "20"),  # no newline at the end
    ],
)
def test_release_files_of_old_and_domestic_distributions(
    fixture: str, name: str, version: str
) -> None:
    output = f"{MARKER}os_release\n{release_section(fixture)}\n"
    observation = parse(output, "10.0.0.1", "ops", datetime(2026, 11, 22, tzinfo=UTC))
    assert (observation.os_name, observation.os_version) == (name, version)
    assert not any(e.startswith("os:") for e in observation.value_errors)


def test_the_script_reads_the_release_files_in_that_order() -> None:
    command = dict(SECTIONS)["os_release"]
    positions = [command.index(f"cat {path}") for path in ORDER]
    assert positions == sorted(positions)


def test_no_release_file_is_a_value_error() -> None:
    output = f"{MARKER}os_release\n\n{MARKER}hostname\nx\n"
    observation = parse(output, "10.0.0.1", "ops", datetime(2026, 11, 22, tzinfo=UTC))
    assert observation.os_name is None
    assert any(e.startswith("os: no release file read") for e in observation.value_errors)
