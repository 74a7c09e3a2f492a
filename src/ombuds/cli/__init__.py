"""Command-line adapter: thin typer commands over the core's functions."""
