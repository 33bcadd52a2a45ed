"""Scan targets: what an engineer types becomes exactly the addresses meant."""

from __future__ import annotations

import pytest

from collectors.targets import (
    MAX_TARGETS,
    Exclusions,
    TargetError,
    count,
    expand,
    parse_target,
    parse_targets,
)


def addresses(*texts: str, exclusions: Exclusions | None = None) -> list[str]:
    return [str(t) for t in expand(parse_targets(texts), exclusions or Exclusions())]


def test_a_cidr_is_its_hosts_without_network_and_broadcast() -> None:
    assert addresses("10.1.2.0/30") == ["10.1.2.1:161", "10.1.2.2:161"]
    assert len(parse_target("10.1.2.0/24")) == 254


def test_a_slash_32_and_a_slash_31_keep_every_address() -> None:
    assert addresses("10.1.2.7/32") == ["10.1.2.7:161"]
    assert addresses("10.1.2.6/31") == ["10.1.2.6:161", "10.1.2.7:161"]


def test_ranges_in_full_and_short_form_and_ports() -> None:
    assert addresses("10.0.0.254-10.0.1.1") == [
        "10.0.0.254:161",
        "10.0.0.255:161",
        "10.0.1.0:161",
        "10.0.1.1:161",
    ]
    assert addresses("10.0.0.5-7:1161") == ["10.0.0.5:1161", "10.0.0.6:1161", "10.0.0.7:1161"]
    assert addresses("[fd00::1]:1161") == ["[fd00::1]:1161"]


def test_overlapping_targets_are_probed_once() -> None:
    assert addresses("10.0.0.1-3", "10.0.0.2", "10.0.0.0/30") == [
        "10.0.0.1:161",
        "10.0.0.2:161",
        "10.0.0.3:161",
    ]
    assert addresses("10.0.0.1", "10.0.0.1:1161") == ["10.0.0.1:161", "10.0.0.1:1161"]


def test_p1_excluded_networks_and_addresses_are_never_yielded() -> None:
    exclusions = Exclusions.of(["10.0.0.0/30"], ["10.0.0.5"])
    assert addresses("10.0.0.0/29", exclusions=exclusions) == ["10.0.0.4:161", "10.0.0.6:161"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty target"),
        ("10.0.0.300", "not an IP address"),
        ("10.0.0.9-3", "ends before it starts"),
        ("10.0.0.1:99999", "port must be 1-65535"),
        ("10.0.0.1:http", "port must be 1-65535"),
        ("host.example", "not an IP address"),
        ("10.0.0.0/33", "10.0.0.0/33"),
        ("10.0.0.1-fd00::1", "ends before it starts"),
    ],
)
def test_bad_targets_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        parse_target(text)


def test_a_mistyped_slash_8_is_refused_not_swept() -> None:
    with pytest.raises(TargetError, match="more than one scan sweeps"):
        parse_target("10.0.0.0/8")
    assert count(parse_targets(["10.0.0.0/13"])) <= MAX_TARGETS


def test_a_bad_exclusion_is_a_clear_error() -> None:
    with pytest.raises(TargetError, match="exclusion 'nonsense'"):
        Exclusions.of(["nonsense"])


def test_expansion_is_lazy() -> None:
    iterator = expand(parse_targets(["10.0.0.0/12"]), Exclusions())
    assert str(next(iterator)) == "10.0.0.1:161"
