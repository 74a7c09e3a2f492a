"""The Assessment Code tests a decision relied on, read from its own reasons.

Only reason-bearing sections count (summary, assessment, final decision...); the
role-and-powers boilerplate lists tests the Ombudsman *may* use and is ignored, as is the
complaint (the complainant's words, not the Ombudsman's). In investigation statements only
sentences about what was left uninvestigated count: the rest is the investigation itself.
Each sentence is read with its paragraph, which some rules use as context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ombuds.reading.layout import Layout
from ombuds.reading.patterns import Paragraph, Patterns
from ombuds.reading.textnorm import iter_sentences, paragraphs

# A sentence that gives the reason for the one before it ("I have not investigated X. This
# is because..."): in an investigation statement it shares that sentence's scope.
_GIVES_REASON = re.compile(r"(?:this|that) (?:is|was) (?:because|due to)\b|because\b|the reason\b")


# Bounds that keep hostile input linear: a real statement gives its reasons in well under a
# hundred sentences; text past this many sentences of reason-bearing sections is not read
# for reasons (it is still kept in the record's sections).
MAX_REASON_SENTENCES = 2000


@dataclass(frozen=True)
class Unit:
    """One lower-cased sentence with the paragraph it belongs to (its context)."""

    sentence: str
    paragraph: Paragraph


def _without_subject(
    sentence: str, patterns: Patterns, possible: frozenset[int] | None = None
) -> str:
    """The sentence less the subject of the complaint it names ("...complaint about X").

    In "we will not investigate the complaint about <subject> because <reason>" only the
    reason is the decision's reason; the subject (a court case, an appeal panel...) is not.
    ``possible``: the clauses whose words occur in the sentence's paragraph; the others are
    skipped until a cut (which joins text afresh) makes every later clause worth trying.
    """
    cut = False
    for index, clause in enumerate(patterns.subject_clauses):
        if possible is not None and not cut and index not in possible:
            continue
        shorter = clause.sub(" ", sentence)
        cut = cut or shorter != sentence
        sentence = shorter
    return sentence


def reason_units(layout: Layout, patterns: Patterns) -> list[Unit]:
    """Sentences of the reason-bearing sections with their paragraphs, in page order."""
    out: list[Unit] = []
    for key in patterns.reason_sections:
        text = layout.text(key)
        if not text:
            continue
        for paragraph in paragraphs(text):
            context = Paragraph(paragraph.lower())
            possible = patterns.subject_prefilter.possible(context.text)
            for sentence in iter_sentences(paragraph):
                out.append(Unit(_without_subject(sentence.lower(), patterns, possible), context))
                if len(out) >= MAX_REASON_SENTENCES:
                    return out
    return out


def reason_sentences(layout: Layout, patterns: Patterns) -> list[str]:
    """Lower-cased sentences of the reason-bearing sections, in page order."""
    return [unit.sentence for unit in reason_units(layout, patterns)]


def _in_scope(unit: Unit, patterns: Patterns) -> bool:
    """In an investigation statement: does this sentence speak of what was left out?

    It does when it says so itself, or when its paragraph says the investigation was ended
    early (the paragraph's other sentences are then the reasons for ending it).
    """
    return patterns.scope_sentence.search(unit.sentence) is not None or unit.paragraph.has(
        patterns.scope_in_paragraph
    )


def _evidence(
    layout: Layout, patterns: Patterns, closure: bool, whole_text: str
) -> list[tuple[str, str, bool]]:
    """(test id, sentence, deferrable) for every piece of evidence, in page order.

    ``deferrable`` marks evidence that yields to another test when the statement also
    gives that test (see ``defer`` in reasons.yaml).
    """
    out: list[tuple[str, str, bool]] = []
    appeal = patterns.generic_appeal
    role = Paragraph((layout.text("role_and_powers") or "").lower())
    whole = Paragraph(whole_text)
    n_tests = len(patterns.tests)
    n_hinted = len(patterns.hinted)
    previous: Unit | None = None
    previous_in_scope = False
    units = reason_units(layout, patterns)
    for unit in units:
        sentence = unit.sentence
        # a closure reads every reason sentence: scope matters only in investigations
        in_scope = not closure and _in_scope(unit, patterns)
        follows_scope = (
            previous is not None
            and previous.paragraph is unit.paragraph
            and previous_in_scope
            and _GIVES_REASON.match(sentence) is not None
        )
        previous, previous_in_scope = unit, in_scope
        hits = patterns.prefilter.hits(sentence)
        if not hits or patterns.blocker.search(sentence):
            continue
        scoped = closure or follows_scope or in_scope
        for index in sorted(hits):
            if index < n_tests:
                rule = patterns.tests[index]
                if (scoped or rule.anywhere) and rule.matches_triggered(
                    sentence, hits[index], closure=closure, context=unit.paragraph
                ):
                    out.append((rule.id, sentence, rule.deferrable(sentence)))
            elif not scoped:
                continue
            elif index < n_tests + n_hinted:
                hinted = patterns.hinted[index - n_tests]
                if hinted.rule.matches_triggered(sentence, hits[index], context=unit.paragraph):
                    test_id = next((t for t, hint in hinted.resolve if role.has(hint)), None)
                    if test_id:
                        out.append((test_id, sentence, False))
            elif appeal.rule.matches_triggered(sentence, hits[index], context=unit.paragraph):
                test_id = next((t for t, hint in appeal.resolve if whole.has(hint)), None)
                if test_id:
                    out.append((test_id, sentence, False))
    out.extend(_from_role(layout, patterns, units, {test_id for test_id, _, _ in out}))
    return _settle(out, patterns)


_REASONED = ("assessment", "final_decision", "finding", "what_investigated")


def _from_role(
    layout: Layout, patterns: Patterns, units: list[Unit], found: set[str]
) -> list[tuple[str, str, bool]]:
    """Tests evidenced by a role-and-powers paragraph chosen for them (see reasons.yaml)."""
    role = (layout.text("role_and_powers") or "").lower()
    if not role:
        return []
    cut_short = not any(layout.text(key) for key in _REASONED)
    out = []
    for evidence in patterns.role_evidence:
        if evidence.test in found or not evidence.role.search(role):
            continue
        if cut_short or any(evidence.reasons.search(unit.sentence) for unit in units):
            out.append((evidence.test, "(role and powers) " + role[:200], False))
    return out


def _settle(
    evidence: list[tuple[str, str, bool]], patterns: Patterns
) -> list[tuple[str, str, bool]]:
    """Drop deferrable evidence for a test when the test it defers to is also evidenced."""
    firm = {test_id for test_id, _, deferrable in evidence if not deferrable}
    found = {test_id for test_id, _, _ in evidence}
    defer_to = {rule.id: rule.defer_to for rule in patterns.tests}
    kept = []
    for test_id, sentence, deferrable in evidence:
        if deferrable and test_id not in firm and found & set(defer_to.get(test_id, ())):
            continue
        kept.append((test_id, sentence, deferrable))
    return kept


def find_tests(layout: Layout, patterns: Patterns, *, closure: bool, whole_text: str) -> list[str]:
    """Test ids evidenced by at least one reason sentence, in rulebook order.

    ``closure`` is whether the statement closes the complaint without investigating;
    ``whole_text`` (lower-cased) resolves appeal rights stated without naming the body.
    """
    found = {test_id for test_id, _, _ in _evidence(layout, patterns, closure, whole_text)}
    return [rule.id for rule in patterns.tests if rule.id in found]


def explain_tests(
    layout: Layout, patterns: Patterns, *, closure: bool, whole_text: str
) -> dict[str, list[str]]:
    """For each test found, the sentences that gave it (for reviewing the reader's output)."""
    out: dict[str, list[str]] = {}
    for test_id, sentence, _ in _evidence(layout, patterns, closure, whole_text):
        out.setdefault(test_id, []).append(sentence)
    return out
