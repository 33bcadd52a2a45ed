"""The review queue (待核查): people decide what the inventory would not merge on its own."""

from __future__ import annotations

from sqlmodel import Session

from inventory.db.types import utcnow
from inventory.domain.choices import ReviewAction, ReviewKind, ReviewStatus
from inventory.domain.errors import DomainError
from inventory.models import Asset, ReviewItem
from inventory.models.assets import new_uid
from inventory.services import audit
from inventory.services.asset_input import AssetIn
from inventory.services.context import Actor
from inventory.services.records import get_or_raise
from inventory.services.upsert import upsert_assets

# The choice lives in the domain (the CLI's options name it without loading
# the services); this name is kept for the services' callers.
Action = ReviewAction


def resolve(
    session: Session,
    actor: Actor,
    item_id: int,
    action: Action,
    reason: str,
    asset_id: int | None = None,
) -> str:
    """Apply the decision, close the item, audit both; returns what happened."""
    if not reason.strip():
        raise DomainError("a review decision needs a reason")
    item = get_or_raise(session, ReviewItem, item_id)
    if item.status is not ReviewStatus.OPEN:
        raise DomainError(f"review item {item_id} is {item.status} already")
    outcome = "dismissed"
    if action is not Action.DISMISS:
        if item.kind is not ReviewKind.IDENTITY_CONFLICT:
            raise DomainError(f"a {item.kind} item can only be dismissed")
        observation = AssetIn.model_validate(item.observation)
        if action is Action.MERGE:
            target_id = asset_id or item.asset_id
            if target_id is None or target_id not in (item.candidate_ids or [target_id]):
                raise DomainError(
                    f"merge needs --asset, one of the candidates {item.candidate_ids}"
                )
            target = get_or_raise(session, Asset, target_id)
            observation = observation.model_copy(update={"uid": target.uid})
            upsert_assets(session, actor, [observation], f"review #{item_id}: {reason}")
            outcome = f"merged into asset {target.uid}"
        else:
            fresh = observation.model_copy(update={"uid": new_uid()})
            result = upsert_assets(
                session, actor, [fresh], f"review #{item_id}: {reason}", resolve_identity=False
            )
            outcome = f"created asset {result.created[0]}"
    before = audit.snapshot(item)
    item.status = ReviewStatus.DISMISSED if action is Action.DISMISS else ReviewStatus.RESOLVED
    item.resolved_by = actor.name
    item.resolved_at = utcnow()
    item.resolution = f"{action}: {outcome}"[:1000]
    old, new = audit.changed(before, audit.snapshot(item))
    audit.record(session, actor, "review.resolve", item, old, new, reason)
    return f"review item {item_id}: {outcome}"
