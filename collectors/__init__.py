"""Collectors talk to the network and nothing else: targets in, observations out.

They never write the database; ``inventory.services.discovery`` merges what
they observe into the estate.
"""
