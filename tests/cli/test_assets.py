"""`inventory asset` and `audit list` as a newcomer uses them: what lists show is what they take.

Filters accept the department's code in any case or its name and a mode's
Chinese label as imports do; a value that is no known code says so instead of
listing nothing. Lists show the asset tag, the status and a total; `asset show`
reads like the detail page, times in Asia/Shanghai to the second.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from inventory.db.engine import make_engine, session_scope
from inventory.domain.labels import both
from inventory.models import Asset, AuditEvent
from tests.cli.runner import run

WIDE = {"COLUMNS": "200"}


@pytest.fixture
def sample(env: dict[str, str]) -> dict[str, str]:
    assert run("sample", env=env)[0] == 0
    return {**env, **WIDE}


def listed(env: dict[str, str], *args: str) -> dict[str, object]:
    code, output = run("asset", "list", "--json", *args, env=env)
    assert code == 0, output
    found: dict[str, object] = json.loads(output)
    return found


def test_department_filters_take_the_code_in_any_case_or_the_name(sample: dict[str, str]) -> None:
    by_code = listed(sample, "--department", "D-JYJ")
    assert by_code["total"] == 30
    assert listed(sample, "--department", "d-jyj") == by_code
    assert listed(sample, "--department", "市教育局") == by_code
    assert listed(sample, "--department", "Education Bureau") == by_code


def test_a_filter_value_that_is_no_known_code_says_so(sample: dict[str, str]) -> None:
    code, output = run("asset", "list", "--department", "教育", env=sample)
    assert code == 1
    assert "no department '教育'" in output
    assert "D-JYJ" in output  # the codes it knows
    code, output = run("asset", "list", "--mode", "上云", env=sample)
    assert code == 1
    assert "cloud (上云集中)" in output


def test_the_mode_filter_takes_the_chinese_label_as_imports_do(sample: dict[str, str]) -> None:
    assert listed(sample, "--mode", "上云集中") == listed(sample, "--mode", "cloud")
    assert (
        listed(sample, "--mode", "托管集中")["total"] == listed(sample, "--mode", "hosted")["total"]
    )


def test_the_list_shows_asset_tag_status_and_a_total(sample: dict[str, str]) -> None:
    code, output = run("asset", "list", "--department", "D-JYJ", "--limit", "3", env=sample)
    assert code == 0
    assert both("total", count=30) in output
    assert both("asset_tag") in output
    assert both("status") in output
    assert re.search(r"ZC\d{10}", output)
    assert "在用" in output


def test_asset_show_reads_like_the_detail_page(sample: dict[str, str]) -> None:
    tag = listed(sample, "--department", "D-JYJ", "--limit", "1")["items"][0]["asset_tag"]
    code, output = run("asset", "show", tag, env=sample)
    assert code == 0, output
    sections = [both(key) for key in ("ledger", "hardware", "evidence", "migration", "history")]
    positions = [output.index(title) for title in sections]
    assert positions == sorted(positions)  # in the page's order
    assert "市教育局 (D-JYJ)" in output  # the department by name
    assert re.search(r"\d+\.\d+\.\d+\.\d+", output)  # its addresses
    assert "system:sample" in output  # its history


def test_asset_show_has_the_devices_own_description_where_the_page_has_it(
    sample: dict[str, str],
) -> None:
    tag = listed(sample, "--department", "D-JYJ", "--limit", "1")["items"][0]["asset_tag"]
    engine = make_engine(sample["INVENTORY_DATABASE_URL"])
    with engine.begin() as connection:  # as a scan would have recorded it
        connection.execute(
            update(Asset)
            .where(col(Asset.asset_tag) == tag)
            .values(description="Cisco IOS XE Software, Version 17.3.4a")
        )
    engine.dispose()
    code, output = run("asset", "show", tag, env=sample)
    assert code == 0, output
    assert "Cisco IOS XE Software, Version 17.3.4a" in output
    # between the CPU and the memory, as on the detail page
    cpu, described, memory = (
        output.index(both(key)) for key in ("cpu", "description", "memory_mb")
    )
    assert cpu < described < memory


def test_times_are_local_to_the_second(sample: dict[str, str]) -> None:
    engine = make_engine(sample["INVENTORY_DATABASE_URL"])
    with session_scope(engine) as session:
        event = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event is not None
        shanghai = (event.occurred_at.timestamp() + 8 * 3600) % 86400
    engine.dispose()
    _code, output = run("audit", "list", "--limit", "1", env=sample)
    found = re.search(r"\d{4}-\d\d-\d\d (\d\d):(\d\d):(\d\d)", output)
    assert found is not None, output
    hours, minutes, seconds = (int(part) for part in found.groups())
    assert hours * 3600 + minutes * 60 + seconds == int(shanghai)


def test_audit_takes_the_short_uid_tag_or_name_lists_show(sample: dict[str, str]) -> None:
    first = listed(sample, "--department", "D-JYJ", "--limit", "1")["items"][0]
    outputs = []
    for key in (first["uid"][:8], first["asset_tag"], first["name"], f"asset:{first['uid']}"):
        code, output = run("audit", "list", "--object", key, "--json", env=sample)
        assert code == 0, output
        events = json.loads(output)
        assert events
        assert {(e["object_type"], e["object_id"]) for e in events} == {("asset", first["uid"])}
        outputs.append(output)
    assert len(set(outputs)) == 1


def test_a_bare_number_names_its_type_when_several_have_it(sample: dict[str, str]) -> None:
    code, output = run("audit", "list", "--object", "1", env=sample)
    assert code == 1
    assert "department:1" in output
    code, output = run("audit", "list", "--object", "department:1", "--json", env=sample)
    assert code == 0
    assert {e["object_type"] for e in json.loads(output)} == {"department"}
    code, output = run("audit", "list", "--object", "no-such-thing", env=sample)
    assert code == 1
    assert "no object is called 'no-such-thing'" in output
