"""Infrastructure consolidation and asset inventory (四集中 资源集中).

The domain layer: entities, state machines, identity rules, persistence and
the audit trail. Collectors feed it observations; the API, reports and the
Ansible inventory read from it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("consolidation-inventory")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

__all__ = ["__version__"]
