"""SSH collection: server facts over paramiko from a fixed, read-only script."""
