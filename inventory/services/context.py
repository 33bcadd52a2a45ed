"""Who is acting, and for which request: carried into every audit event."""

from __future__ import annotations

import getpass
import uuid
from dataclasses import dataclass, field


def new_request_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Actor:
    """`name` is "user:<login>", "cli:<os user>", "scan:<uid>" or "system:<job>"."""

    name: str
    request_id: str = field(default_factory=new_request_id)

    @classmethod
    def cli(cls) -> Actor:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry in some containers
            user = "unknown"
        return cls(f"cli:{user}")
