"""The Assessment Code tests a decision relied on, read from its own reasons.

Only reason-bearing sections count (summary, assessment, final decision...); the
role-and-powers boilerplate lists tests the Ombudsman *may* use and is ignored, as is the
complaint (the complainant's words, not the Ombudsman's). In investigation statements only
sentences about what was left uninvestigated count: the rest is the investigation itself.
"""

from __future__ import annotations

from ombuds.reading.layout import Layout
from ombuds.reading.patterns import Patterns
from ombuds.reading.textnorm import sentences


def reason_sentences(layout: Layout, patterns: Patterns) -> list[str]:
    """Lower-cased sentences of the reason-bearing sections, in page order."""
    out: list[str] = []
    for key in patterns.reason_sections:
        text = layout.text(key)
        if text:
            out.extend(s.lower() for s in sentences(text))
    return out


def _evidence(
    layout: Layout, patterns: Patterns, closure: bool, whole_text: str
) -> list[tuple[str, str]]:
    """(test id, sentence) for every piece of evidence, in page order."""
    out: list[tuple[str, str]] = []
    appeal = patterns.generic_appeal
    for sentence in reason_sentences(layout, patterns):
        if any(b.search(sentence) for b in patterns.blockers):
            continue
        if not closure and not any(c.search(sentence) for c in patterns.scope_context):
            continue
        for rule in patterns.tests:
            if rule.matches(sentence, closure=closure):
                out.append((rule.id, sentence))
        if appeal.rule.matches(sentence):
            for test_id, hint in appeal.resolve:
                if hint.search(whole_text):
                    out.append((test_id, sentence))
                    break
    return out


def find_tests(layout: Layout, patterns: Patterns, *, closure: bool, whole_text: str) -> list[str]:
    """Test ids evidenced by at least one reason sentence, in rulebook order.

    ``closure`` is whether the statement closes the complaint without investigating;
    ``whole_text`` (lower-cased) resolves appeal rights stated without naming the body.
    """
    found = {test_id for test_id, _ in _evidence(layout, patterns, closure, whole_text)}
    return [rule.id for rule in patterns.tests if rule.id in found]


def explain_tests(
    layout: Layout, patterns: Patterns, *, closure: bool, whole_text: str
) -> dict[str, list[str]]:
    """For each test found, the sentences that gave it (for reviewing the reader's output)."""
    out: dict[str, list[str]] = {}
    for test_id, sentence in _evidence(layout, patterns, closure, whole_text):
        out.setdefault(test_id, []).append(sentence)
    return out
