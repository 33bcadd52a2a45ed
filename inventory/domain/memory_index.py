"""An evidence index held in memory: what bulk upserts and tests resolve against."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from inventory.domain.identifiers import uuid_key
from inventory.domain.identity import Evidence


@dataclass
class MemoryIndex:
    """An EvidenceIndex over evidence held in memory (bulk upserts, tests).

    `live_ids` are the assets seen earlier in the same run; `seen_live` asks
    the store about the others (None: nothing else is live).
    """

    by_asset: dict[int, Evidence] = field(default_factory=dict)
    _lookup: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    live_ids: set[int] = field(default_factory=set)
    seen_live: Callable[[int], bool] | None = None

    def add(self, asset_id: int, evidence: Evidence) -> None:
        self.by_asset[asset_id] = evidence
        for kind, value in evidence.scalars().items():
            key = uuid_key(value) if kind == "system_uuid" else value
            self._lookup.setdefault((kind, key), set()).add(asset_id)
        for mac in evidence.macs:
            self._lookup.setdefault(("mac", mac), set()).add(asset_id)

    def find(self, kind: str, value: str) -> set[int]:
        key = uuid_key(value) if kind == "system_uuid" else value
        return set(self._lookup.get((kind, key), ()))

    def evidence(self, asset_id: int) -> Evidence:
        return self.by_asset[asset_id]

    def live(self, asset_id: int) -> bool:
        if asset_id in self.live_ids:
            return True
        return self.seen_live is not None and self.seen_live(asset_id)
