"""Service functions: the one way the CLI, the API and collectors change the estate.

Each takes a session and an Actor, writes its audit events in the same
transaction and raises a DomainError subclass to refuse.
"""

# Loading the audit service installs the unaudited-flush guard on every
# session, whichever service a caller imports first.
from inventory.services import audit as audit
