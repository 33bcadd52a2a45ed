"""The audit trail's hash chain: what one link covers, computed the same way everywhere.

Each event's hash is SHA-256 over its predecessor's hash and its own content
in one canonical form (JSON, keys sorted, times as UTC ISO 8601 to the
microsecond), so changing, removing, inserting or reordering any event breaks
the chain at that event. Pure: the writer and the verifier both call this.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

GENESIS = "0" * 64  # the predecessor of the very first event
CONTENT = (
    "occurred_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "request_id",
    "reason",
)


def canonical(event: Mapping[str, Any]) -> bytes:
    """The bytes an event's hash covers: its CONTENT fields as sorted-key JSON.

    `before`/`after` must be JSON-native already (as read back from the
    database); `occurred_at` an aware datetime.
    """
    occurred: datetime = event["occurred_at"]
    values = {name: event.get(name) for name in CONTENT}
    values["occurred_at"] = occurred.astimezone(UTC).isoformat(timespec="microseconds")
    return orjson.dumps(values, option=orjson.OPT_SORT_KEYS)


def link(previous: str, event: Mapping[str, Any]) -> str:
    """The hex SHA-256 of `previous` (a link's hex hash) followed by the event's canonical bytes."""
    digest = hashlib.sha256(previous.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(event))
    return digest.hexdigest()
