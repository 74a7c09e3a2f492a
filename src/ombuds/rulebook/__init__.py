"""Rulebooks as data: one folder per scheme, loaded and validated here."""

from ombuds.rulebook.loader import RulebookError, load_rulebook
from ombuds.rulebook.model import Fact, Rulebook, Test

__all__ = ["Fact", "Rulebook", "RulebookError", "Test", "load_rulebook"]
