"""Pure domain rules: choices, state machines, policy checks, identity. No I/O here."""
