"""SSH host keys: which are trusted, what a scan found, an operator's approval.

An unknown key is stored as pending and queued for review; nothing logs in
to that host until an operator approves it (every approval audited). A key
that differs from the trusted one raises a review item as an alert and the
host stays blocked. Trust-on-first-use stores the key as trusted at once,
only where the profile says so.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from collectors.observation import HostKey as SeenKey
from collectors.observation import KeyVerdict, TargetResult, openssh_fingerprint
from inventory.db.types import utcnow
from inventory.domain.choices import HostKeyStatus, ReviewKind, ReviewStatus
from inventory.domain.errors import DomainError
from inventory.models import HostKey, ReviewItem
from inventory.services import audit, records
from inventory.services.context import Actor
from inventory.services.records import get_or_raise


def shown(fingerprint_sha256: str) -> str:
    """A stored fingerprint (hex) as OpenSSH shows it: `SHA256:` + base64, as `ssh-keygen -lf`."""
    return openssh_fingerprint(fingerprint_sha256)


def trusted_keys(session: Session) -> dict[tuple[str, int], set[SeenKey]]:
    """The keys trusted for each (address, port): what the SSH pass compares against."""
    trusted: dict[tuple[str, int], set[SeenKey]] = {}
    for key in session.exec(select(HostKey).where(HostKey.status == HostKeyStatus.TRUSTED)):
        trusted.setdefault((key.address, key.port), set()).add(
            SeenKey(key.key_type, key.fingerprint_sha256)
        )
    return trusted


def record_seen(session: Session, actor: Actor, result: TargetResult) -> None:
    """Store what a scan learnt about a host's key; queue what needs a person."""
    seen, verdict = result.host_key, result.verdict
    if seen is None or verdict is None or verdict is KeyVerdict.TRUSTED:
        return
    address, port = result.target.address, result.target.port
    stored = session.exec(
        select(HostKey).where(
            HostKey.address == address, HostKey.port == port, HostKey.key_type == seen.key_type
        )
    ).first()
    if verdict is KeyVerdict.FIRST_USE and stored is None:
        records.create(
            session,
            actor,
            HostKey(
                address=address,
                port=port,
                key_type=seen.key_type,
                fingerprint_sha256=seen.sha256,
                status=HostKeyStatus.TRUSTED,
                approved_by=f"{actor.name} (trust on first use)",
                approved_at=utcnow(),
            ),
            reason="trusted on first use, as the profile allows",
        )
        return
    if verdict is KeyVerdict.UNKNOWN and stored is None:
        stored = records.create(
            session,
            actor,
            HostKey(
                address=address, port=port, key_type=seen.key_type, fingerprint_sha256=seen.sha256
            ),
            reason="unknown host key, refused until approved",
        )
    _queue_review(session, actor, result, seen, verdict, stored)


def _queue_review(
    session: Session,
    actor: Actor,
    result: TargetResult,
    seen: SeenKey,
    verdict: KeyVerdict,
    stored: HostKey | None,
) -> None:
    """One open review item per unknown or changed key, however many scans meet it."""
    address, port = result.target.address, result.target.port
    kind = (
        ReviewKind.HOST_KEY_CHANGED
        if verdict is KeyVerdict.CHANGED
        else ReviewKind.HOST_KEY_UNKNOWN
    )
    open_item = session.exec(
        select(ReviewItem.id).where(
            ReviewItem.kind == kind,
            ReviewItem.status == ReviewStatus.OPEN,
            col(ReviewItem.observation)["fingerprint_sha256"].as_string() == seen.sha256,
        )
    ).first()
    if open_item is not None:
        return
    records.create(
        session,
        actor,
        ReviewItem(
            kind=kind,
            observation={
                "address": address,
                "port": port,
                "key_type": seen.key_type,
                "fingerprint_sha256": seen.sha256,
                "fingerprint": seen.openssh,
                "host_key_id": stored.id if stored else None,
            },
            reason=(
                f"{address}:{port} presented a {seen.key_type} key {seen.openssh} that differs "
                "from the trusted one; the host is blocked (possible impersonation or reinstall)"
                if verdict is KeyVerdict.CHANGED
                else f"{address}:{port} presented an unknown {seen.key_type} key {seen.openssh}; "
                "approve it to allow logins"
            ),
        ),
        reason="host key needs an operator",
    )


def approve(session: Session, actor: Actor, host_key_id: int, reason: str) -> HostKey:
    """An operator trusts a pending key (after checking its fingerprint out of band)."""
    if not reason.strip():
        raise DomainError("approving a host key needs a reason")
    key = get_or_raise(session, HostKey, host_key_id)
    if key.status is not HostKeyStatus.PENDING:
        raise DomainError(f"host key {host_key_id} is {key.status}, not pending")
    before = audit.snapshot(key)
    key.status = HostKeyStatus.TRUSTED
    key.approved_by = actor.name
    key.approved_at = utcnow()
    key.updated_at = utcnow()
    old, new = audit.changed(before, audit.snapshot(key))
    audit.record(session, actor, "hostkey.approve", key, old, new, reason)
    for item in session.exec(
        select(ReviewItem).where(
            ReviewItem.kind == ReviewKind.HOST_KEY_UNKNOWN,
            ReviewItem.status == ReviewStatus.OPEN,
            col(ReviewItem.observation)["fingerprint_sha256"].as_string() == key.fingerprint_sha256,
        )
    ):
        item_before = audit.snapshot(item)
        item.status = ReviewStatus.RESOLVED
        item.resolved_by, item.resolved_at = actor.name, utcnow()
        item.resolution = f"host key {key.id} approved"
        old, new = audit.changed(item_before, audit.snapshot(item))
        audit.record(session, actor, "review.resolve", item, old, new, reason)
    return key
