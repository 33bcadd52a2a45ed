"""The `inventory` command: thin Typer commands over the service functions."""
