"""Identity conflicts into the review queue (待核查), each conflict once."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from inventory.domain.choices import ReviewKind, ReviewStatus
from inventory.domain.identity import identity_key
from inventory.models import ReviewItem
from inventory.services import audit, writes
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor


def open_reviews(
    session: Session,
    actor: Actor,
    reviews: list[dict[str, Any]],
    reason: str,
    audits: list[dict[str, Any]],
) -> list[int]:
    """Review items for the conflicts, one per distinct conflict; their ids, in order.

    A conflict already open (the same candidates, the same evidence) is not
    queued again on every re-scan: its open item stands for it. Reads the open
    identity conflicts only, a person's backlog, never the estate.
    """
    open_items: dict[tuple[Any, ...], int] = {}
    for item_id, candidates, observation in session.execute(
        sa.select(ReviewItem.id, ReviewItem.candidate_ids, ReviewItem.observation).where(  # type: ignore[call-overload]
            ReviewItem.status == ReviewStatus.OPEN,
            ReviewItem.kind == ReviewKind.IDENTITY_CONFLICT,
        )
    ):
        open_items.setdefault(conflict_key(candidates, observation), item_id)
    keys = [conflict_key(item["candidate_ids"], item["observation"]) for item in reviews]
    fresh: dict[tuple[Any, ...], dict[str, Any]] = {}
    for key, item in zip(keys, reviews, strict=True):
        if key not in open_items:
            fresh.setdefault(key, item)  # the same conflict twice in a batch: one item
    created = (
        writes.write(
            session,
            sa.insert(ReviewItem).returning(col(ReviewItem.id), sort_by_parameter_order=True),
            list(fresh.values()),
        )
        .scalars()
        .all()
        if fresh
        else []
    )
    open_items.update(zip(fresh, created, strict=True))
    for item, review_id in zip(fresh.values(), created, strict=True):
        audits.append(
            audit.event(
                actor,
                "review.open",
                "reviewitem",
                review_id,
                None,
                {"kind": str(item["kind"]), "reason": item["reason"]},
                reason,
            )
        )
    return list(dict.fromkeys(open_items[key] for key in keys))


def conflict_key(candidates: list[int] | None, observation: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two conflicts the same: the assets in question and the normalised evidence."""
    try:
        evidence = AssetIn.model_validate(observation).evidence()
    except ValueError:  # an item written by an older release: equal to no new one
        return (object(),)
    scalars = tuple(sorted((k, identity_key(k, v)) for k, v in evidence.scalars().items()))
    return (tuple(sorted(candidates or ())), scalars, tuple(sorted(evidence.macs)))
