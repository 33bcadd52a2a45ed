"""Infrastructure consolidation and asset inventory (四集中 资源集中).

The domain layer: entities, state machines, identity rules, persistence and
the audit trail. Collectors feed it observations; the API, reports and the
Ansible inventory read from it.
"""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    # Read on first use: importlib.metadata costs a fifth of a second, which
    # every CLI start would pay (PEP 562 module __getattr__).
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("consolidation-inventory")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        found = "0.0.0"
    globals()["__version__"] = found
    return found
