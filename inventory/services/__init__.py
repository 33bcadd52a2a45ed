"""Service functions: the one way the CLI, the API and collectors change the estate.

Each takes a session and an Actor, writes its audit events in the same
transaction and raises a DomainError subclass to refuse.
"""
