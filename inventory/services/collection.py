"""What the upper tiers may name of the collectors, and nothing more.

The API, the pages and (later) the reports reach the network through the
services; import-linter forbids them to import ``collectors`` directly. They
still need the errors a scan's input raises, to answer a bad request: those
are re-exported here. (The options a scan takes are the domain's
`inventory.domain.scan_options.ScanOptions`.)
"""

from __future__ import annotations

from collectors.credentials import CredentialError
from collectors.targets import TargetError

__all__ = ["CredentialError", "TargetError"]
