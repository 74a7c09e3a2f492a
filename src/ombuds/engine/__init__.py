"""The assessment engine: pure functions from a complaint and a rulebook to an assessment."""

from ombuds.engine.assess import ask_next, assess, questions

__all__ = ["ask_next", "assess", "questions"]
