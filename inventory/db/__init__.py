"""Persistence: engine and sessions, column types, migrations."""
