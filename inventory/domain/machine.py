"""A lifecycle: an enum, its allowed-transition table and policy guards on target states."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

from inventory.domain.errors import TransitionError

S = TypeVar("S", bound=StrEnum)
C = TypeVar("C")

# A guard inspects the facts of the subject and raises PolicyViolation to refuse.
Guard = Callable[[C], None]


@dataclass(frozen=True)
class StateMachine(Generic[S, C]):
    """The table is the whole truth: a state absent from it as a key is final."""

    name: str
    initial: S
    table: Mapping[S, frozenset[S]]
    guards: Mapping[S, tuple[Guard[C], ...]] = field(default_factory=dict)
    # Guards that hold for every transition of this machine (P1 for migrations).
    always: tuple[Guard[C], ...] = ()

    @property
    def states(self) -> type[S]:
        return type(self.initial)

    def allowed(self, current: S) -> frozenset[S]:
        return self.table.get(current, frozenset())

    def is_final(self, state: S) -> bool:
        return not self.allowed(state)

    def check(self, current: S, requested: S, facts: C) -> None:
        """Raise TransitionError or PolicyViolation unless current -> requested may happen."""
        requested = self.states(requested)
        if requested not in self.allowed(current):
            raise TransitionError(self.name, current, requested, self.allowed(current))
        for guard in (*self.always, *self.guards.get(requested, ())):
            guard(facts)

    def coerce(self, value: str) -> S:
        try:
            return self.states(value)
        except ValueError:
            names = ", ".join(member.value for member in self.states)
            raise TransitionError(self.name, "?", value, [names]) from None
