"""SNMP as a registered collector (see collectors/registry.py): the sweep behind the Protocol."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from collectors.credentials import SnmpCredential
from collectors.registry import CollectorSettings, OnResult, Seen
from collectors.snmp.collect import SweepOptions, sweep
from collectors.targets import Target


@dataclass(frozen=True)
class SnmpCollector:
    """Profiles tried in order on every target; earlier passes are not consulted."""

    credentials: tuple[SnmpCredential, ...]
    options: SweepOptions
    protocol: str = "snmp"

    @classmethod
    def from_settings(cls, settings: CollectorSettings) -> SnmpCollector:
        """Built from the scan's settings; a credential of another protocol is a TypeError."""
        credentials = tuple(settings.credentials)
        for credential in credentials:
            if not isinstance(credential, SnmpCredential):
                raise TypeError(f"not an SNMP credential: {type(credential).__name__}")
        return cls(
            credentials,
            SweepOptions(
                timeout=settings.timeout,
                retries=settings.retries,
                concurrency=settings.concurrency,
                packets_per_second=settings.packets_per_second,
                full=settings.full,
            ),
        )

    async def sweep(
        self, targets: Iterable[Target], earlier: Mapping[str, Seen], on_result: OnResult
    ) -> None:
        """Every target swept at the packet rate; one result each to `on_result`."""
        await sweep(targets, self.credentials, self.options, on_result)
