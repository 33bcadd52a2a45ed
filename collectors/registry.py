"""Collectors behind one small Protocol, found by name in a registry.

Modelled on Nornir's connection plugins (`nornir/core/plugins/connections.py`
and `register.py`): a `Protocol` every collector satisfies, and a register
that maps a name to a factory. A scan plan lists passes by name, in order
("snmp" then "ssh"), so the order is data and a new protocol is one
registration, not a change to discovery. Factories import their protocol
library when called, so naming a collector costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from collectors.observation import TargetResult
from collectors.targets import Target

OnResult = Callable[[TargetResult], None]


@dataclass(frozen=True)
class Seen:
    """What earlier passes learnt of one address (plain data), for the passes after them."""

    protocols: frozenset[str] = frozenset()  # which collectors got an answer
    os_name: str | None = None
    device_class: str = "unknown"

    def with_result(self, protocol: str, result: TargetResult) -> Seen:
        """This record updated by one more result of the `protocol` pass."""
        if not result.responded:
            return self
        observation = result.observation
        if observation is None:
            return Seen(self.protocols | {protocol}, self.os_name, self.device_class)
        return Seen(
            self.protocols | {protocol},
            self.os_name or observation.os_name,
            observation.device_class if self.device_class == "unknown" else self.device_class,
        )


@dataclass(frozen=True)
class CollectorSettings:
    """What every collector is built from.

    `extras` holds what one protocol alone needs (SSH: trusted host keys and
    per-step deadlines), as Nornir's `ConnectionPlugin.open(extras=...)` does.
    """

    credentials: tuple[Any, ...]
    timeout: float = 1.0  # seconds per request or TCP connect
    retries: int = 1
    concurrency: int = 0  # targets in flight; 0: the collector's own default
    packets_per_second: float = 2000.0
    full: bool = True  # False: a liveness sweep (SNMP's system group)
    extras: Mapping[str, Any] = field(default_factory=dict)


class Collector(Protocol):
    """One protocol's pass over a scan's targets.

    `sweep` hands every target's outcome to `on_result` as it comes (never
    raising for one host's sake) and may read what earlier passes saw of an
    address in `earlier`.
    """

    @property
    def protocol(self) -> str:
        """The registry name, also the `protocol` of the observations it makes."""
        ...

    async def sweep(
        self, targets: Iterable[Target], earlier: Mapping[str, Seen], on_result: OnResult
    ) -> None: ...


Factory = Callable[[CollectorSettings], Collector]


class PluginNotRegistered(LookupError):
    """No collector under that name."""


class Registry:
    """Names to collector factories (Nornir's `PluginRegister`, without entry points)."""

    def __init__(self) -> None:
        self._available: dict[str, Factory] = {}

    def register(self, name: str, factory: Factory) -> None:
        """Add a collector; registering a different factory under a taken name is refused."""
        existing = self._available.get(name)
        if existing is not None and existing is not factory:
            raise ValueError(f"a collector named {name!r} is registered already")
        self._available[name] = factory

    def get(self, name: str) -> Factory:
        """The factory registered as `name`; PluginNotRegistered otherwise."""
        try:
            return self._available[name]
        except KeyError:
            raise PluginNotRegistered(f"no collector named {name!r}") from None

    def names(self) -> list[str]:
        return sorted(self._available)


def _snmp(settings: CollectorSettings) -> Collector:
    from collectors.snmp.collector import SnmpCollector

    return SnmpCollector.from_settings(settings)


def _ssh(settings: CollectorSettings) -> Collector:
    from collectors.ssh.sweep import SshCollector

    return SshCollector.from_settings(settings)


COLLECTORS = Registry()
COLLECTORS.register("snmp", _snmp)
COLLECTORS.register("ssh", _ssh)

__all__ = [
    "COLLECTORS",
    "Collector",
    "CollectorSettings",
    "Factory",
    "OnResult",
    "PluginNotRegistered",
    "Registry",
    "Seen",
]
