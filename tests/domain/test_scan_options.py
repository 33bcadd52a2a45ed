"""Scan options are defined once; the CLI, the API schema and the pages take them from there."""

from __future__ import annotations

from dataclasses import fields

import pytest
from pydantic import ValidationError

from api.schemas import ScanRequest
from inventory.domain.scan_options import BOUNDS, CONCURRENCY, TIMEOUT, ScanOptions


def test_every_option_has_one_bound_and_the_defaults_come_from_it() -> None:
    assert [f.name for f in fields(ScanOptions)] == list(BOUNDS)
    defaults = ScanOptions()
    for name, bound in BOUNDS.items():
        assert getattr(defaults, name) == bound.default


def test_the_cli_flag_carries_the_limits_and_help() -> None:
    assert TIMEOUT.flag() == {"help": TIMEOUT.help, "min": 0.05, "max": 60}
    assert CONCURRENCY.flag()["max"] == 20_000


def test_the_api_request_is_the_options_plus_targets_and_profiles() -> None:
    request = ScanRequest(targets=["10.0.0.0/24"], profiles=["ro"], timeout=2.5, ssh_port=2222)
    assert request.options() == ScanOptions(timeout=2.5, ssh_port=2222)
    schema = ScanRequest.model_json_schema()["properties"]
    for name, bound in BOUNDS.items():
        assert schema[name]["default"] == bound.default
        if bound.min is not None:
            assert (schema[name]["minimum"], schema[name]["maximum"]) == (bound.min, bound.max)
    with pytest.raises(ValidationError):
        ScanRequest(targets=["10.0.0.1"], profiles=["ro"], concurrency=-1)
    # 0 is the default: SNMP derives the targets in flight from the packet rate.
    assert ScanRequest(targets=["10.0.0.1"], profiles=["ro"]).concurrency == 0


def test_options_outside_their_limits_are_refused_with_the_option_named() -> None:
    with pytest.raises(ValueError, match="retries must be between 0 and 10"):
        ScanOptions(retries=11)
