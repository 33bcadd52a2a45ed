"""The asset list: filters and scope bind their own values into statements built once per shape."""

from __future__ import annotations

from sqlmodel import Session

from inventory.domain.choices import Mode
from inventory.services.context import Actor
from inventory.services.queries import AssetFilter, PageRequest, asset_counts, asset_page
from tests import factories


def names(
    session: Session, criteria: AssetFilter, scope: frozenset[int] | None = None
) -> list[str]:
    page = asset_page(session, criteria, PageRequest(per_page=50), scope)
    return [item["name"] for item in page.items]


def test_the_same_filter_with_other_values_finds_other_assets(
    session: Session, actor: Actor
) -> None:
    for code in ("D1", "D2"):
        factories.department(session, actor, code)
        factories.asset(session, actor, name=f"{code}-srv", department_code=code)
    assert names(session, AssetFilter(department="D1")) == ["D1-srv"]
    assert names(session, AssetFilter(department="D2")) == ["D2-srv"]  # same statement, new value
    assert names(session, AssetFilter(department="D3")) == []


def test_the_scope_limits_every_page_and_an_empty_scope_sees_nothing(
    session: Session, actor: Actor
) -> None:
    ids = {}
    for code in ("D1", "D2"):
        ids[code] = factories.department(session, actor, code).id
        factories.asset(session, actor, name=f"{code}-srv", department_code=code)
    assert names(session, AssetFilter(), frozenset({ids["D1"]})) == ["D1-srv"]
    assert names(session, AssetFilter(), frozenset({ids["D2"]})) == ["D2-srv"]
    assert names(session, AssetFilter(), frozenset(ids.values())) == ["D1-srv", "D2-srv"]
    assert names(session, AssetFilter(), frozenset()) == []
    assert asset_counts(session, "department", frozenset({ids["D2"]})) == {"D2": 1}


def test_free_text_matches_percent_and_underscore_literally(session: Session, actor: Actor) -> None:
    factories.asset(session, actor, name="web_01")
    factories.asset(session, actor, name="web-01")
    factories.asset(session, actor, name="100%-busy")
    assert names(session, AssetFilter(text="web_")) == ["web_01"]
    assert names(session, AssetFilter(text="%")) == ["100%-busy"]
    assert names(session, AssetFilter(text="WEB")) == ["web-01", "web_01"]


def test_a_page_counts_every_match_and_returns_its_own_slice(
    session: Session, actor: Actor
) -> None:
    for name, mode in (("a", Mode.CLOUD), ("b", Mode.CLOUD), ("c", Mode.HOSTED)):
        factories.asset(session, actor, name=name, mode=mode)
    second = asset_page(
        session, AssetFilter(mode=Mode.CLOUD), PageRequest(page=2, per_page=1), None
    )
    assert (second.total, [item["name"] for item in second.items]) == (2, ["b"])
    uncounted = asset_page(
        session, AssetFilter(), PageRequest(per_page=2, sort="-name", with_total=False), None
    )
    assert (uncounted.total, [item["name"] for item in uncounted.items]) == (None, ["c", "b"])
