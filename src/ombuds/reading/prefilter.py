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
_LONG = 2000  # characters: past this a sentence is checked against the full triggers


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
# A counted repeat, X{m,n}: in an unanchored set each count is a DFA state of its own, and
# together the rules' "[^.]{0,80}" gaps made more states than the cache holds (the set was
# rebuilt on every sentence). X* (or X+ when m > 0) matches at least as much, in one state.
_COUNTED = re.compile(r"\{(\d*)(?:,(\d*))?\}")


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

    Look-arounds are dropped (RE2 has none; one at the start looking behind, or at the end
    looking ahead, becomes text to match), ``\\w`` / ``\\d`` widened to non-ASCII and
    counted repeats made open (``{0,80}`` -> ``*``), which keeps the set's DFA small.
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
            end = _group_end(pattern, i)
            # What a pattern looks behind for at its start, or ahead for at its end, must be
            # there: kept as text to match, it gives RE2 words to filter on.
            if (i == 0 and pattern.startswith("(?<=")) or (
                end == len(pattern) and pattern.startswith("(?=", i)
            ):
                opening = 4 if pattern.startswith("(?<=", i) else 3
                out.append("(?:" + relaxed(pattern[i + opening : end - 1]) + ")")
            i = end
        elif char == "{" and (counted := _COUNTED.match(pattern, i)) and any(counted.groups()):
            out.append("+" if int(counted.group(1) or 0) > 0 else "*")
            i = counted.end()
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

    __slots__ = ("_check", "_words", "regex")

    def __init__(self, regex: re.Pattern[str], *, usually_absent: bool = False) -> None:
        """``usually_absent``: the regex rarely matches, so short text is first checked for
        the words it needs (RE2's FilteredRE2 atoms), which is cheaper than running it."""
        self.regex = regex
        self._words: re2.Filter | None = None
        try:
            self._check = re2.compile(relaxed(regex.pattern), _options())
        except re2.error:
            self._check = None
            return
        if usually_absent:
            words = re2.Filter()
            words.Add(relaxed(regex.pattern), _options())
            words.Compile()
            if not words.Match(b"", True):  # it has words to look for
                self._words = words

    def _cannot_match(self, text: str) -> bool:
        if len(text) > _SHORT:  # the exact linear check keeps backtracking off long text
            return self._check is not None and self._check.search(text) is None
        # On short text Python's regex is quick whatever it meets; a full check costs more.
        return self._words is not None and not self._words.Match(
            text.encode("utf-8", "surrogatepass"), True
        )

    def search(self, text: str) -> re.Match[str] | None:
        """As ``re.Pattern.search``."""
        return None if self._cannot_match(text) else self.regex.search(text)

    def sub(self, replacement: str, text: str) -> str:
        """As ``re.Pattern.sub``."""
        return text if self._cannot_match(text) else self.regex.sub(replacement, text)


class Prefilter:
    """Candidate groups (rules) for a text, and which of their triggers could match it.

    Sentences go through RE2's FilteredRE2: the literal strings ("atoms") each trigger needs
    are found in one pass of a small literal set, and a trigger whose atoms are all absent
    cannot match. A set of the full triggers was tried first, but on text never seen before
    its DFA was rebuilt byte by byte (the 340 triggers' states combine past any cache): 120
    microseconds a sentence against 10. Past ``_LONG`` characters the full set decides
    instead: it is linear, and it keeps Python's regexes off long hostile text that merely
    contains the right words.
    """

    def __init__(self, groups: Sequence[Sequence[str]]) -> None:
        self._set = re2.Set.SearchSet(_options())
        self._filter = re2.Filter()
        self._owner: list[tuple[int, int]] = []  # set entry -> (group, trigger within group)
        self._filter_owner: dict[int, tuple[int, int]] = {}  # filter entry -> the same
        always: dict[int, tuple[int, ...]] = {}
        for group, triggers in enumerate(groups):
            for local, trigger in enumerate(triggers):
                pattern = relaxed(trigger)
                try:
                    entry = self._filter.Add(pattern, _options())
                except re2.error:
                    # a form RE2 cannot read: always try every trigger of the rule
                    always[group] = tuple(range(len(triggers)))
                    continue
                # same parser, same options: what the filter read, the set reads too, so
                # both number their entries alike
                self._set.Add(pattern)
                self._owner.append((group, local))
                self._filter_owner[entry] = (group, local)
        self._always = always
        self._empty = not self._owner
        # Triggers with no word long enough to filter on ("gp", "tpt"): the filter would
        # offer them for every sentence, so a small exact set (few states) decides those.
        self._small = re2.Set.SearchSet(_options())
        self._small_owner: list[tuple[int, int]] = []
        self._unfiltered: frozenset[int] = frozenset()
        if not self._empty:
            self._set.Compile()
            self._filter.Compile()
            self._unfiltered = frozenset(self._filter.Match(b"", True) or ())
            for entry in sorted(self._unfiltered):
                group, local = self._filter_owner[entry]
                self._small.Add(relaxed(groups[group][local]))
                self._small_owner.append((group, local))
            if self._small_owner:
                self._small.Compile()

    def _entries(self, text: str) -> list[tuple[int, int]]:
        if self._empty:
            return []
        # RE2 reads UTF-8 bytes; "surrogatepass" keeps a lone surrogate (\ud800 from JSON)
        # from raising: it becomes bytes no trigger matches, as no Python pattern matches it.
        data = text.encode("utf-8", "surrogatepass")
        if len(text) > _LONG:
            return [self._owner[entry] for entry in self._set.Match(data) or ()]
        out = [
            self._filter_owner[entry]
            for entry in self._filter.Match(data, True) or ()
            if entry not in self._unfiltered
        ]
        if self._small_owner:
            out.extend(self._small_owner[entry] for entry in self._small.Match(data) or ())
        return out

    def hits(self, text: str) -> dict[int, tuple[int, ...]]:
        """Group -> the triggers of it that may match ``text`` (a superset of those that do)."""
        found: dict[int, list[int]] = {g: list(t) for g, t in self._always.items()}
        for group, local in self._entries(text):
            found.setdefault(group, []).append(local)
        return {group: tuple(sorted(set(locals_))) for group, locals_ in found.items()}

    def candidates(self, text: str) -> frozenset[int]:
        """The groups that may match ``text`` (a superset of those that do)."""
        return frozenset(self.hits(text))

    def possible(self, text: str) -> frozenset[int]:
        """The groups whose needed words all occur in ``text``, however long (linear).

        Coarser than ``candidates`` but cheap on a whole section: the groups left out cannot
        match ``text`` or any part of it.
        """
        found = set(self._always)
        if not self._empty:
            data = text.encode("utf-8", "surrogatepass")
            found.update(self._filter_owner[e][0] for e in self._filter.Match(data, True) or ())
        return frozenset(found)
