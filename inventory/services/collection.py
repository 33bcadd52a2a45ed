"""What the upper tiers may name of the collectors, and nothing more.

The API, the pages and (later) the reports reach the network through the
services; import-linter forbids them to import ``collectors`` directly. They
still need the options a scan takes and the errors a scan's input raises, to
build a scan and to answer a bad request: those are re-exported here.
"""

from __future__ import annotations

from collectors.credentials import CredentialError
from collectors.snmp.collect import SweepOptions
from collectors.targets import TargetError

__all__ = ["CredentialError", "SweepOptions", "TargetError"]
