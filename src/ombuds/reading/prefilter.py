"""Which reason rules could match a sentence, for all rules in one linear-time pass.

Trying each of the ~35 rules' regexes on every sentence was most of the reader's time. An
RE2 set (a DFA over every rule's trigger phrases at once) says in one pass which rules could
match; only those are then tried with their full Python regexes. The set is a filter, never
the judge: each trigger is relaxed so that it matches at least what the full regex does
(look-arounds dropped, since RE2 has none), so a rule the set leaves out cannot match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import re2

# The DFA's memory; past it RE2 drops its cache and carries on (still linear). 32 MB holds the
# reader's whole set with room to spare (about 18 MB in use on full statements).
_MAX_MEM = 32 << 20
_SHORT = 300  # characters: text this short goes straight to the Python regex


def _class_end(pattern: str, start: int) -> int:
    """Index just past the character class that opens at ``pattern[start]`` ('[')."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1


def _group_end(pattern: str, start: int) -> int:
    """Index just past the group that opens at ``pattern[start]`` ('(')."""
    depth = 0
    i = start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(pattern, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


# RE2's \w and \d are ASCII; Python's also take other scripts' letters and digits. Widened
# so that the relaxed pattern never misses what Python would match.
_WIDE = {"\\w": "(?:\\w|[^\\x00-\\x7f])", "\\d": "(?:\\d|[^\\x00-\\x7f])"}
_WIDE_IN_CLASS = {"\\w": "\\w\\x{80}-\\x{10ffff}", "\\d": "\\d\\x{80}-\\x{10ffff}"}


def _widened_class(text: str) -> str:
    if text.startswith("[^"):
        return text  # a negated class in RE2 already takes every non-ASCII character
    out = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _WIDE_IN_CLASS:
            out.append(_WIDE_IN_CLASS[pair])
            i += 2
        elif text[i] == "\\":
            out.append(pair)
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def relaxed(pattern: str) -> str:
    """``pattern`` for RE2, matching at least everywhere the original does in Python.

    Look-arounds are dropped (RE2 has none) and ``\\w`` / ``\\d`` widened to non-ASCII.
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            pair = pattern[i : i + 2]
            out.append(_WIDE.get(pair, pair))
            i += 2
        elif char == "[":
            end = _class_end(pattern, i)
            out.append(_widened_class(pattern[i:end]))
            i = end
        elif pattern.startswith(_LOOKAROUNDS, i):
            i = _group_end(pattern, i)
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = _MAX_MEM
    return options


class Guarded:
    """A Python regex behind an RE2 check of its relaxed form.

    Where the relaxed form (searched in linear time) finds nothing, the regex cannot match,
    and it is not run: long hostile text never meets Python's backtracking.
    """

    __slots__ = ("_check", "_short", "regex")

    def __init__(self, regex: re.Pattern[str], *, usually_absent: bool = False) -> None:
        """``usually_absent``: the regex rarely matches, so check even short text with RE2."""
        self.regex = regex
        self._short = 0 if usually_absent else _SHORT
        try:
            self._check = re2.compile(relaxed(regex.pattern), _options())
        except re2.error:
            self._check = None

    def _cannot_match(self, text: str) -> bool:
        # On short text Python's regex is quick whatever it meets; the check would cost more.
        return len(text) > _SHORT and self._check is not None and self._check.search(text) is None

    def search(self, text: str) -> re.Match[str] | None:
        """As ``re.Pattern.search``."""
        return None if self._cannot_match(text) else self.regex.search(text)

    def sub(self, replacement: str, text: str) -> str:
        """As ``re.Pattern.sub``."""
        return text if self._cannot_match(text) else self.regex.sub(replacement, text)


class Prefilter:
    """Candidate groups (rules) for a text, and which of their triggers could match it."""

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self._set = re2.Set.SearchSet(_options())
        self._owner: list[tuple[int, int]] = []  # set entry -> (group, trigger within group)
        always: dict[int, tuple[int, ...]] = {}
        for group, triggers in enumerate(groups):
            for local, trigger in enumerate(triggers):
                try:
                    self._set.Add(relaxed(trigger))
                except re2.error:
                    # a form RE2 cannot read: always try every trigger of the rule
                    always[group] = tuple(range(len(triggers)))
                    continue
                self._owner.append((group, local))
        self._always = always
        self._empty = not self._owner
        if not self._empty:
            self._set.Compile()

    def hits(self, text: str) -> dict[int, tuple[int, ...]]:
        """Group -> the triggers of it that may match ``text`` (a superset of those that do)."""
        found: dict[int, list[int]] = {g: list(t) for g, t in self._always.items()}
        # RE2 reads UTF-8 bytes; "surrogatepass" keeps a lone surrogate (\ud800 from JSON)
        # from raising: it becomes bytes no trigger matches, as no Python pattern matches it.
        matched = None if self._empty else self._set.Match(text.encode("utf-8", "surrogatepass"))
        for entry in matched or ():
            group, local = self._owner[entry]
            found.setdefault(group, []).append(local)
        return {group: tuple(sorted(set(locals_))) for group, locals_ in found.items()}

    def candidates(self, text: str) -> frozenset[int]:
        """The groups that may match ``text`` (a superset of those that do)."""
        return frozenset(self.hits(text))
