"""A field's width is defined once, by its table column; validation and clipping follow it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from collectors.observation import Observation
from inventory.models import Asset
from inventory.models.base import column_widths
from inventory.services.asset_input import AssetIn
from inventory.services.discovery.merge import observation_to_asset

WIDTHS = column_widths(Asset)
CLIPPED = ("name", "vendor", "model", "cpu_model", "os_name", "os_version", "description")


def test_the_widths_are_read_from_the_table() -> None:
    assert WIDTHS["vendor"] == Asset.__table__.c.vendor.type.length  # type: ignore[attr-defined]
    assert WIDTHS["description"] == 512


@pytest.mark.parametrize(
    "field", ["name", "asset_tag", "serial_number", "vendor", "model", "os_version", "location"]
)
def test_an_imported_value_longer_than_its_column_is_refused(field: str) -> None:
    AssetIn.model_validate({field: "x" * WIDTHS[field]})
    with pytest.raises(ValidationError, match=field):
        AssetIn.model_validate({field: "x" * (WIDTHS[field] + 1)})


@pytest.mark.parametrize("field", CLIPPED)
def test_a_device_string_longer_than_its_column_is_cut_to_it(field: str) -> None:
    observation = Observation(
        address="10.0.0.1",
        protocol="snmp",
        credential="lab",
        seen_at=datetime.now(UTC),
        **{field: "设" * (WIDTHS[field] + 50)},
    )
    row = observation_to_asset(observation)
    assert getattr(row, field) == "设" * WIDTHS[field]
