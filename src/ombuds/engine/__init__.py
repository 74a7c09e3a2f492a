"""The assessment engine: pure functions from a complaint and a rulebook to an assessment."""

from ombuds.engine.assess import assess, questions

__all__ = ["assess", "questions"]
