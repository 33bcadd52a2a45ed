"""What can go wrong with one SNMP request; every message is fit for a scan record."""

from __future__ import annotations


class SnmpError(Exception):
    """One request failed; the message is fit for a scan record."""


class SnmpTimeout(SnmpError):
    """No answer after every try."""


class MalformedReply(SnmpError):
    """Something came back that is not an SNMP response we can read."""


class TooBig(SnmpError):
    """The agent answered tooBig (RFC 3416 section 4.2.1): ask for less."""


# error-status values of RFC 3416 section 3 (RFC 1157 for 1 to 5).
ERROR_NAMES = {
    1: "tooBig",
    2: "noSuchName",
    3: "badValue",
    4: "readOnly",
    5: "genErr",
    6: "noAccess",
    16: "authorizationError",
}


class ErrorStatus(SnmpError):
    """The agent answered with a non-zero error-status (RFC 3416)."""

    def __init__(self, status: int, index: int, name: str) -> None:
        super().__init__(f"agent answered {name} (error-status {status}, index {index})")
        self.status, self.index = status, index
