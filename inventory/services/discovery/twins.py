"""Two assets at one address under one name, one of them identified by a scan: review.

A database split before identity rule ADDRESS_NAME (a thin SNMP answer made
a second asset beside the ledger's row) would otherwise have both rows
updated by every later scan, neither of them ever questioned. When a scan's
evidence lands on one asset and another asset holds the same address under
the same name, a person decides (merge or keep both) in the review queue.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from inventory.db.types import utcnow
from inventory.domain.choices import ReviewKind
from inventory.services import audit
from inventory.services.asset_rows import ASSET
from inventory.services.conflicts import open_reviews
from inventory.services.context import Actor


def review_twins(
    session: Session,
    actor: Actor,
    scan_id: int | None,
    seen: Sequence[tuple[int, str, str | None]],
) -> list[int]:
    """Review items for (asset id, address, name) rows another asset shares; their ids.

    One query for the batch; an item already open is not queued again
    (conflicts.open_reviews).
    """
    wanted = {(address, (name or "").strip().lower()): asset_id for asset_id, address, name in seen}
    if not wanted:
        return []
    query = sa.select(ASSET.c.id, ASSET.c.primary_address, ASSET.c.name).where(
        ASSET.c.primary_address.in_(sorted({address for address, _ in wanted}))
    )
    reviews: list[dict[str, Any]] = []
    now: datetime = utcnow()
    for other, address, name in session.execute(query).all():
        matched = wanted.get((address, (name or "").strip().lower()))
        if matched is None or matched == other or not name:
            continue
        reviews.append(
            {
                "kind": ReviewKind.IDENTITY_CONFLICT,
                "status": "open",
                "asset_id": other,
                "candidate_ids": sorted([matched, other]),
                "observation": {"addresses": [address], "name": name},
                "reason": f"#{other} has the address {address} and name {name!r} of #{matched}, "
                "which this scan identified by its evidence: one machine split in two?",
                "scan_id": scan_id,
                "created_at": now,
            }
        )
    if not reviews:
        return []
    audits: list[dict[str, Any]] = []
    ids = open_reviews(session, actor, reviews, "same address and name as another asset", audits)
    audit.record_many(session, audits)
    return ids
