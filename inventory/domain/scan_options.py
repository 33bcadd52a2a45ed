"""The options of a discovery scan, defined once for the CLI, the API and the pages.

Each option is one `Bound` (default, limits, help). `ScanOptions` takes its
defaults and checks from them; `inventory scan` builds its flags from them
(`Bound.flag()`), the API's `ScanRequest` its fields (`Bound.field()`), and
a scan started from a page takes `ScanOptions()`. Plain Python: the CLI's
`--help` pays for no validation library.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Generic, TypeVar

T = TypeVar("T", int, float, bool)
MAX_TARGETS = 256  # target expressions per scan request (each may be a CIDR)
MAX_PROFILES = 16  # credential profiles tried per target


@dataclass(frozen=True)
class Bound(Generic[T]):
    """One option: its default, inclusive limits (None: unbounded) and help text."""

    default: T
    help: str
    min: float | None = None
    max: float | None = None

    def flag(self) -> dict[str, Any]:
        """Keywords for `typer.Option`: help and limits."""
        found: dict[str, Any] = {"help": self.help}
        if self.min is not None:
            found["min"] = self.min
        if self.max is not None:
            found["max"] = self.max
        return found

    def field(self) -> dict[str, Any]:
        """Keywords for `pydantic.Field`: default, limits and description."""
        found: dict[str, Any] = {"default": self.default, "description": self.help}
        if self.min is not None:
            found["ge"] = self.min
        if self.max is not None:
            found["le"] = self.max
        return found

    def check(self, name: str, value: T) -> None:
        """ValueError naming the option when `value` is outside the limits."""
        if (self.min is not None and value < self.min) or (
            self.max is not None and value > self.max
        ):
            raise ValueError(f"scan option {name} must be between {self.min:g} and {self.max:g}")


TIMEOUT: Bound[float] = Bound(
    1.0, "Seconds per request (SNMP), and per TCP connect before SSH.", 0.05, 60
)
RETRIES: Bound[int] = Bound(1, "Resends per request.", 0, 10)
# 0: each protocol's own: SNMP as many as keep the packet rate busy (rate x
# time-out, so a /16 is swept at the rate), SSH the collector's default.
CONCURRENCY: Bound[int] = Bound(
    0, "Targets in flight (0: SNMP as many as the packet rate keeps busy, SSH 256).", 0, 20_000
)
PACKETS_PER_SECOND: Bound[float] = Bound(2000.0, "Packets per second, at most.", 1, 100_000)
QUICK: Bound[bool] = Bound(False, "System group only: a liveness sweep.")
SSH_PORT: Bound[int] = Bound(22, "Port for SSH profiles.", 1, 65535)


@dataclass(frozen=True)
class ScanOptions:
    """How hard a scan knocks: time-outs, resends, targets in flight, packet rate, ports."""

    timeout: float = TIMEOUT.default
    retries: int = RETRIES.default
    concurrency: int = CONCURRENCY.default
    packets_per_second: float = PACKETS_PER_SECOND.default
    quick: bool = QUICK.default
    ssh_port: int = SSH_PORT.default

    def __post_init__(self) -> None:
        for option in fields(self):
            BOUNDS[option.name].check(option.name, getattr(self, option.name))

    def recorded(self) -> dict[str, Any]:
        """What the scan record keeps of the options (JSON-ready)."""
        return asdict(self)


BOUNDS: dict[str, Bound[Any]] = {
    "timeout": TIMEOUT,
    "retries": RETRIES,
    "concurrency": CONCURRENCY,
    "packets_per_second": PACKETS_PER_SECOND,
    "quick": QUICK,
    "ssh_port": SSH_PORT,
}

__all__ = [
    "BOUNDS",
    "CONCURRENCY",
    "MAX_PROFILES",
    "MAX_TARGETS",
    "PACKETS_PER_SECOND",
    "QUICK",
    "RETRIES",
    "SSH_PORT",
    "TIMEOUT",
    "Bound",
    "ScanOptions",
]
