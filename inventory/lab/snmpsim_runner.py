"""Run snmpsim's command responder with per-endpoint data selection working again.

snmpsim 1.2 selects a device's data by the transport endpoint a request came
in on, in handlers named ``handleMgmtOperation``; pysnmp 7.1 renamed the
hook to ``handle_management_operation``, so those handlers are never called
and every endpoint answers with the same data. This adapter routes the new
hook through snmpsim's own context selection. Drop it when snmpsim follows
pysnmp's names.
"""

from __future__ import annotations

import sys
from typing import Any

from pysnmp.entity import observer
from pysnmp.entity.rfc3413 import cmdrsp, context
from snmpsim.commands import responder

# The old names snmpsim's context selection still calls.
_RENAMED = (
    (observer.MetaObserver, "getExecutionContext", "get_execution_context"),
    (context.SnmpContext, "getMibInstrum", "get_mib_instrum"),
)


def _adapt(ours: type, base: Any) -> None:
    def handle_management_operation(
        self: Any, snmp_engine: Any, state_reference: Any, context_name: Any, pdu: Any, *_: Any
    ) -> None:
        try:
            chosen = responder.probe_hash_context(self, snmp_engine)
        except responder.NoDataNotification:
            self.release_state_information(state_reference)
            return
        base.handle_management_operation(self, snmp_engine, state_reference, chosen, pdu)

    setattr(ours, "handle_management_operation", handle_management_operation)  # noqa: B010


def main() -> int:
    for cls, old, new in _RENAMED:
        if not hasattr(cls, old):
            setattr(cls, old, getattr(cls, new))
    _adapt(responder.GetCommandResponder, cmdrsp.GetCommandResponder)
    _adapt(responder.NextCommandResponder, cmdrsp.NextCommandResponder)
    _adapt(responder.BulkCommandResponder, cmdrsp.BulkCommandResponder)
    result: int = responder.main()
    return result


if __name__ == "__main__":
    sys.exit(main())
