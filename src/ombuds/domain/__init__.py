"""Plain data shared by every layer: no I/O, no framework beyond pydantic."""
