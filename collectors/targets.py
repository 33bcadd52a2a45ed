"""Scan targets: CIDRs, ranges and addresses, each with an optional ``:port``.

Pure: parsing and expansion only. Expansion is lazy so a /16 costs no memory.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_TARGETS = 1 << 20  # a /12: a mistyped /8 is refused, not swept for a day


class TargetError(ValueError):
    """A target that is not a CIDR, a range or an address; the message says which."""


@dataclass(frozen=True, slots=True)
class Target:
    address: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"{host}:{self.port}"


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """One parsed command-line target: first..last (inclusive) on one port."""

    text: str
    first: IPAddress
    last: IPAddress
    port: int

    def __len__(self) -> int:
        return int(self.last) - int(self.first) + 1

    def __iter__(self) -> Iterator[Target]:
        cls = type(self.first)
        for value in range(int(self.first), int(self.last) + 1):
            yield Target(str(cls(value)), self.port)


def _split_port(text: str, default_port: int) -> tuple[str, int]:
    if text.startswith("["):  # [v6]:port or [v6]/len:port
        host, _, rest = text[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise TargetError(f"{text!r}: expected ':port' after ']'")
        return host, _port(text, rest[1:]) if rest else default_port
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, _port(text, port)
    return text, default_port


def _port(text: str, port: str) -> int:
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise TargetError(f"{text!r}: port must be 1-65535")
    return int(port)


def _address(text: str, whole: str) -> IPAddress:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        raise TargetError(f"{whole!r}: {text!r} is not an IP address") from None


def parse_target(text: str, default_port: int = 161) -> TargetSpec:
    """``10.1.2.0/24``, ``10.1.2.10-10.1.2.40``, ``10.1.2.10-40``, ``10.1.2.3:1161``."""
    raw = text.strip()
    if not raw:
        raise TargetError("empty target")
    host, port = _split_port(raw, default_port)
    if "/" in host:
        try:
            network: IPNetwork = ipaddress.ip_network(host, strict=False)
        except ValueError as exc:
            raise TargetError(f"{raw!r}: {exc}") from None
        hosts = (
            (network.network_address, network.broadcast_address)
            if network.num_addresses <= 2
            else (network.network_address + 1, network.broadcast_address - 1)
        )
        return _checked(TargetSpec(raw, hosts[0], hosts[1], port))
    if "-" in host:
        start_text, end_text = host.split("-", 1)
        first = _address(start_text, raw)
        if end_text.strip().isdigit() and first.version == 4:
            prefix = str(first).rsplit(".", 1)[0]
            last = _address(f"{prefix}.{end_text.strip()}", raw)
        else:
            last = _address(end_text, raw)
        if first.version != last.version or int(last) < int(first):
            raise TargetError(f"{raw!r}: the range ends before it starts")
        return _checked(TargetSpec(raw, first, last, port))
    address = _address(host, raw)
    return TargetSpec(raw, address, address, port)


def _checked(spec: TargetSpec) -> TargetSpec:
    if len(spec) > MAX_TARGETS:
        raise TargetError(f"{spec.text!r}: {len(spec):,} addresses is more than one scan sweeps")
    return spec


def parse_targets(texts: Iterable[str], default_port: int = 161) -> list[TargetSpec]:
    specs = [parse_target(text, default_port) for text in texts]
    if sum(len(s) for s in specs) > MAX_TARGETS:
        raise TargetError(f"more than {MAX_TARGETS:,} addresses in one scan")
    return specs


@dataclass(frozen=True)
class Exclusions:
    """Addresses a scan must never send a packet to (P1, configured exclusions)."""

    networks: tuple[IPNetwork, ...] = ()
    addresses: frozenset[str] = frozenset()

    @classmethod
    def of(cls, networks: Iterable[str] = (), addresses: Iterable[str] = ()) -> Exclusions:
        parsed: list[IPNetwork] = []
        for text in networks:
            try:
                parsed.append(ipaddress.ip_network(text.strip(), strict=False))
            except ValueError:
                raise TargetError(f"exclusion {text!r} is not a network or address") from None
        normalised = set()
        for text in addresses:
            try:
                normalised.add(str(ipaddress.ip_address(text)))
            except ValueError:
                continue  # a stored address that is not an IP cannot be probed anyway
        return cls(tuple(parsed), frozenset(normalised))

    def excludes(self, address: str) -> bool:
        """True when `address` (an IP address as text) must not be probed."""
        return self.excludes_ip(ipaddress.ip_address(address))

    def excludes_ip(self, ip: IPAddress) -> bool:
        """The same for a parsed address: a sweep of a /16 asks 65,534 times."""
        if not self.addresses and not self.networks:
            return False
        if str(ip) in self.addresses:
            return True
        return any(ip in network for network in self.networks)


def expand(specs: Sequence[TargetSpec], exclusions: Exclusions) -> Iterator[Target]:
    """Every target once, in order, minus the excluded ones.

    Lazy and without a set of what was seen: an address that an earlier spec
    already covered is skipped by comparing intervals, so memory stays flat
    however many addresses a scan sweeps.
    """
    for position, spec in enumerate(specs):
        earlier = [
            (int(e.first), int(e.last))
            for e in specs[:position]
            if e.port == spec.port and e.first.version == spec.first.version
        ]
        make = type(spec.first)
        for value in range(int(spec.first), int(spec.last) + 1):
            if earlier and any(first <= value <= last for first, last in earlier):
                continue
            ip = make(value)
            if not exclusions.excludes_ip(ip):
                yield Target(str(ip), spec.port)


def count(specs: Sequence[TargetSpec]) -> int:
    """An upper bound of the targets (overlaps and exclusions not subtracted)."""
    return sum(len(spec) for spec in specs)
