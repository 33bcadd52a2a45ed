"""The errors the domain raises; each message says what was asked and why it was refused."""

from __future__ import annotations

from collections.abc import Iterable


class DomainError(Exception):
    """Base of every refusal the inventory makes on purpose."""


class NotFoundError(DomainError):
    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class TransitionError(DomainError):
    """A state change that the machine's table does not allow."""

    def __init__(self, machine: str, current: str, requested: str, allowed: Iterable[str]) -> None:
        current, requested = str(current), str(requested)
        allowed_list = sorted(str(state) for state in allowed)
        shown = ", ".join(allowed_list) if allowed_list else "none (final state)"
        super().__init__(
            f"{machine}: cannot go from {current!r} to {requested!r}; allowed from "
            f"{current!r}: {shown}"
        )
        self.machine = machine
        self.current = current
        self.requested = requested
        self.allowed = tuple(allowed_list)


class PolicyViolation(DomainError):
    """A change the tables allow but a policy rule (P1..P8) forbids."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule


class ConflictError(DomainError):
    """An update made against a stale version; nothing was written."""

    def __init__(self, kind: str, key: object, expected: int, actual: int | None) -> None:
        now = "it no longer exists" if actual is None else f"it is now at version {actual}"
        super().__init__(
            f"{kind} {key!r} was changed by someone else: you edited version {expected}, "
            f"{now}. Reload it and apply your change again."
        )
        self.kind = kind
        self.key = key
        self.expected = expected
        self.actual = actual
