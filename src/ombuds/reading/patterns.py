"""Load the reading patterns (YAML data shipped in this package) once, compiled.

Headings, outcome labels, header shapes, citation forms, remedy cues and the phrases per
Assessment Code test are domain vocabulary, so they live in ``patterns.yaml`` and
``reasons.yaml``; this module only turns them into compiled regular expressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import Any

import yaml

from ombuds.reading.prefilter import Guarded, Prefilter
from ombuds.reading.textnorm import label_key

_FLAGS = re.IGNORECASE
_NEVER = re.compile(r"(?!)")


def _joined(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """One alternation of ``patterns``: a single search instead of one per phrase (~3x faster)."""
    if not patterns:
        return _NEVER
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


def _load_yaml(name: str) -> dict[str, Any]:
    text = resources.files("ombuds.reading").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping at top level")
    return data


class Paragraph:
    """A paragraph used as context, each regex searched in it at most once.

    Every sentence of a paragraph consults the same paragraph; remembering the answers keeps
    a paragraph of many sentences linear rather than quadratic.
    """

    __slots__ = ("_seen", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._seen: dict[re.Pattern[str] | Guarded, bool] = {}

    def has(self, pattern: re.Pattern[str] | Guarded) -> bool:
        """True when ``pattern`` occurs in the paragraph."""
        found = self._seen.get(pattern)
        if found is None:
            found = self._seen[pattern] = pattern.search(self.text) is not None
        return found


@dataclass(frozen=True)
class TestRule:
    """The evidence that a sentence gives a decision's reason as one test."""

    __test__ = False  # not a pytest class

    id: str
    any: tuple[re.Pattern[str], ...]
    all: tuple[tuple[re.Pattern[str], ...], ...]
    unless: tuple[re.Pattern[str], ...]
    closure_only: tuple[re.Pattern[str], ...] = ()
    unless_context: tuple[re.Pattern[str], ...] = ()
    in_context: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()
    anywhere: bool = False
    defer_to: tuple[str, ...] = ()
    defer_when: tuple[re.Pattern[str], ...] = ()

    def matches(
        self, sentence: str, *, closure: bool = True, context: Paragraph | str = ""
    ) -> bool:
        """True when ``sentence`` (lower-cased, normalised) is evidence for this test.

        ``closure`` says whether the statement closes the complaint without investigating
        it; only then do the ``closure_only`` phrases count. ``context`` is the paragraph
        the sentence sits in: ``in_context`` pairs need their second regex there, and
        ``unless_context`` rules the sentence out.
        """
        paragraph = context if isinstance(context, Paragraph) else Paragraph(context)
        hit = (
            self._any.search(sentence) is not None
            or any(all(p.search(sentence) for p in group) for group in self.all)
            or (closure and self._closure_only.search(sentence) is not None)
            or any(p.search(sentence) and paragraph.has(c) for p, c in self._in_context)
        )
        return (
            hit
            and self._unless.search(sentence) is None
            and not any(paragraph.has(p) for p in self._unless_context)
        )

    @cached_property
    def _in_context(self) -> tuple[tuple[re.Pattern[str], Guarded], ...]:
        return tuple((p, Guarded(c)) for p, c in self.in_context)

    @cached_property
    def _unless_context(self) -> tuple[Guarded, ...]:
        return tuple(Guarded(p) for p in self.unless_context)

    def matches_triggered(
        self,
        sentence: str,
        triggered: tuple[int, ...],
        *,
        closure: bool = True,
        context: Paragraph | str = "",
    ) -> bool:
        """As ``matches``, trying only the triggers (indices into ``triggers``) the prefilter
        found: one small regex each instead of every phrase of the rule joined."""
        paragraph = context if isinstance(context, Paragraph) else Paragraph(context)
        n_any, n_closure, n_all = len(self.any), len(self.closure_only), len(self.all)
        hit = False
        for index in triggered:
            if index < n_any:
                hit = self.any[index].search(sentence) is not None
            elif index < n_any + n_closure:
                hit = closure and self.closure_only[index - n_any].search(sentence) is not None
            elif index < n_any + n_closure + n_all:
                group = self.all[index - n_any - n_closure]
                hit = all(p.search(sentence) for p in group)
            else:
                p, c = self._in_context[index - n_any - n_closure - n_all]
                hit = p.search(sentence) is not None and paragraph.has(c)
            if hit:
                break
        return (
            hit
            and self._unless.search(sentence) is None
            and not any(paragraph.has(p) for p in self._unless_context)
        )

    def warm(self) -> None:
        """Compile the joined and guarded forms now."""
        for name in ("_any", "_closure_only", "_unless", "_in_context", "_unless_context"):
            getattr(self, name)

    @property
    def triggers(self) -> tuple[str, ...]:
        """Regexes one of which a sentence must match for this rule to hit (for the prefilter)."""
        return (
            *(p.pattern for p in self.any),
            *(p.pattern for p in self.closure_only),
            *(group[0].pattern if group else "" for group in self.all),
            *(pair[0].pattern for pair in self.in_context),
        )

    @cached_property
    def _any(self) -> Guarded:
        return Guarded(_joined(self.any))

    @cached_property
    def _closure_only(self) -> Guarded:
        return Guarded(_joined(self.closure_only))

    @cached_property
    def _unless(self) -> Guarded:
        return Guarded(_joined(self.unless), usually_absent=True)

    def deferrable(self, sentence: str) -> bool:
        """True when this evidence yields to the ``defer_to`` tests if they are also found."""
        return bool(self.defer_to) and any(p.search(sentence) for p in self.defer_when)


@dataclass(frozen=True)
class GenericAppeal:
    """An appeal right relied on without naming the body; resolved from the whole statement."""

    rule: TestRule
    resolve: tuple[tuple[str, re.Pattern[str]], ...]


@dataclass(frozen=True)
class RoleEvidence:
    """A role-and-powers paragraph chosen for one test, and what in the reasons confirms it."""

    test: str
    role: re.Pattern[str]
    reasons: re.Pattern[str]


@dataclass(frozen=True)
class Hinted:
    """A phrase that gives one of several close tests; the role-and-powers text chooses."""

    name: str
    rule: TestRule
    resolve: tuple[tuple[str, re.Pattern[str]], ...]


@dataclass(frozen=True)
class Patterns:
    """Every compiled pattern the reader uses."""

    headings: dict[str, str]  # label_key(heading) -> section key
    assessment_subheadings: frozenset[str]
    reason_sections: tuple[str, ...]
    furniture: tuple[re.Pattern[str], ...]
    title: re.Pattern[str]
    category: re.Pattern[str]
    decision: re.Pattern[str]
    decision_date: re.Pattern[str]
    mirror: re.Pattern[str]
    reference_anywhere: re.Pattern[str]
    date_formats: tuple[str, ...]
    urls: tuple[re.Pattern[str], ...]
    slug_lowercase_words: frozenset[str]
    outcomes: dict[str, str | None]  # label_key(label) -> id (None: label gives no outcome)
    outcome_from_text: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    complainant: re.Pattern[str]
    complainant_named: re.Pattern[str]
    complainant_subject: tuple[re.Pattern[str], ...]
    complainant_sections: tuple[str, ...]
    acts: tuple[str, ...]
    case_citations: tuple[re.Pattern[str], ...]
    remedy_commitment: re.Pattern[str]
    remedy_kinds: dict[str, tuple[re.Pattern[str], ...]]
    remedy_amount: re.Pattern[str]
    remedy_deadline: re.Pattern[str]
    remedy_sections: tuple[str, ...]
    tests: tuple[TestRule, ...]
    blockers: tuple[re.Pattern[str], ...]
    scope_context: tuple[re.Pattern[str], ...]
    scope_paragraph: tuple[re.Pattern[str], ...]
    subject_clause: tuple[re.Pattern[str], ...]
    generic_appeal: GenericAppeal
    hinted: tuple[Hinted, ...] = ()
    categories: dict[str, str] = field(default_factory=dict)  # slug -> display
    role_evidence: tuple[RoleEvidence, ...] = ()

    @cached_property
    def prefilter(self) -> Prefilter:
        """One pass over a sentence for every rule: groups are ``tests``, ``hinted``, appeal."""
        rules = [*self.tests, *(h.rule for h in self.hinted), self.generic_appeal.rule]
        return Prefilter([rule.triggers for rule in rules])

    @cached_property
    def furniture_line(self) -> re.Pattern[str]:
        """Every page-furniture line pattern as one regex."""
        return _joined(self.furniture)

    @cached_property
    def act_names(self) -> dict[str, str]:
        """Lower-cased Act name -> the Act as printed."""
        return {act.lower(): act for act in self.acts}

    @cached_property
    def acts_named(self) -> re.Pattern[str]:
        """Any Act the reader knows, longest name first (one scan for all)."""
        names = sorted(self.acts, key=len, reverse=True)
        return re.compile("|".join(re.escape(act) for act in names), _FLAGS)

    @cached_property
    def act_word(self) -> str | None:
        """A word every Act name contains ("act"), so text without it names none of them."""
        words = [set(act.lower().split()) for act in self.acts]
        common = set.intersection(*words) if words else set()
        return min(common) if common else None

    @cached_property
    def blocker(self) -> Guarded:
        """Every blocker as one regex."""
        return Guarded(_joined(self.blockers), usually_absent=True)

    @cached_property
    def scope_sentence(self) -> Guarded:
        """Every ``scope_context`` phrase as one regex."""
        return Guarded(_joined(self.scope_context), usually_absent=True)

    @cached_property
    def scope_in_paragraph(self) -> Guarded:
        """Every ``scope_paragraph`` phrase as one regex."""
        return Guarded(_joined(self.scope_paragraph), usually_absent=True)

    @cached_property
    def subject_clauses(self) -> tuple[Guarded, ...]:
        """The ``subject_clause`` regexes, each behind its RE2 check."""
        return tuple(Guarded(p, usually_absent=True) for p in self.subject_clause)

    @cached_property
    def subject_prefilter(self) -> Prefilter:
        """Which ``subject_clauses`` could occur in a paragraph (one group each)."""
        return Prefilter([[p.pattern] for p in self.subject_clause])

    @cached_property
    def outcome_cues(self) -> tuple[tuple[str, Guarded], ...]:
        """Per outcome, its text cues as one guarded regex."""
        return tuple(
            (outcome, Guarded(_joined(cues), usually_absent=True))
            for outcome, cues in self.outcome_from_text
        )

    @cached_property
    def outcome_prefilter(self) -> Prefilter:
        """Which outcomes' cues could occur in a text (groups in ``outcome_cues`` order)."""
        return Prefilter([[p.pattern for p in cues] for _, cues in self.outcome_from_text])


def _compile_all(items: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(item, _FLAGS) for item in items)


def _expand(text: str, defs: dict[str, str]) -> str:
    for name, value in defs.items():
        text = text.replace("{" + name + "}", value)
    return text


def _compile_defined(data: dict[str, Any], key: str) -> tuple[re.Pattern[str], ...]:
    """A top-level list of reasons.yaml, ``{name}`` phrases expanded, compiled."""
    defs = {str(k): str(v) for k, v in (data.get("defs") or {}).items()}
    return _compile_all([_expand(p, defs) for p in data.get(key) or []])


def _group(test_id: object, group: Any) -> list[str]:
    """An ``all`` entry: a list of regexes that must all match one sentence."""
    if not isinstance(group, list):
        raise ValueError(
            f"reasons.yaml: tests.{test_id}.all: expected a list of regexes per entry, "
            f"got {group!r} (a single regex belongs under 'any')"
        )
    return [str(p) for p in group]


def _pairs(
    test_id: object, items: list[Any], defs: dict[str, str]
) -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """``in_context`` entries: [sentence regex, paragraph regex] pairs."""
    out = []
    for item in items:
        if not (isinstance(item, list) and len(item) == 2):
            raise ValueError(
                f"reasons.yaml: tests.{test_id}.in_context: expected [sentence, paragraph] "
                f"regex pairs, got {item!r}"
            )
        out.append(
            (re.compile(_expand(item[0], defs), _FLAGS), re.compile(_expand(item[1], defs), _FLAGS))
        )
    return tuple(out)


def _test_rules(data: dict[str, Any]) -> tuple[TestRule, ...]:
    defs = {str(k): str(v) for k, v in (data.get("defs") or {}).items()}
    rules = []
    for test_id, spec in (data.get("tests") or {}).items():
        spec = spec or {}
        rules.append(
            TestRule(
                id=str(test_id),
                any=_compile_all([_expand(p, defs) for p in spec.get("any") or []]),
                all=tuple(
                    _compile_all([_expand(p, defs) for p in _group(test_id, group)])
                    for group in spec.get("all") or []
                ),
                unless=_compile_all([_expand(p, defs) for p in spec.get("unless") or []]),
                closure_only=_compile_all(
                    [_expand(p, defs) for p in spec.get("closure_only") or []]
                ),
                unless_context=_compile_all(
                    [_expand(p, defs) for p in spec.get("unless_context") or []]
                ),
                in_context=_pairs(test_id, spec.get("in_context") or [], defs),
                anywhere=bool(spec.get("anywhere", False)),
                defer_to=tuple(str(t) for t in (spec.get("defer") or {}).get("to") or []),
                defer_when=_compile_all(
                    [_expand(p, defs) for p in (spec.get("defer") or {}).get("when") or []]
                ),
            )
        )
    return tuple(rules)


def _generic_appeal(data: dict[str, Any]) -> GenericAppeal:
    defs = {str(k): str(v) for k, v in (data.get("defs") or {}).items()}
    spec = data.get("generic_appeal") or {}
    rule = TestRule(
        id="generic_appeal",
        any=_compile_all([_expand(p, defs) for p in spec.get("any") or []]),
        all=(),
        unless=_compile_all([_expand(p, defs) for p in spec.get("unless") or []]),
    )
    resolve = tuple(
        (str(test_id), re.compile(p, _FLAGS)) for test_id, p in spec.get("resolve") or []
    )
    return GenericAppeal(rule=rule, resolve=resolve)


def _hinted(data: dict[str, Any], known: set[str]) -> tuple[Hinted, ...]:
    defs = {str(k): str(v) for k, v in (data.get("defs") or {}).items()}
    out = []
    for spec in data.get("hinted") or []:
        name = str(spec.get("name") or "hinted")
        resolve = []
        for test_id, pattern in spec.get("resolve") or []:
            if str(test_id) not in known:
                raise ValueError(f"reasons.yaml: hinted.{name}: unknown test id {test_id!r}")
            resolve.append((str(test_id), re.compile(pattern, _FLAGS)))
        rule = TestRule(
            id=name,
            any=_compile_all([_expand(p, defs) for p in spec.get("any") or []]),
            all=(),
            unless=_compile_all([_expand(p, defs) for p in spec.get("unless") or []]),
        )
        out.append(Hinted(name=name, rule=rule, resolve=tuple(resolve)))
    return tuple(out)


def _role_evidence(data: dict[str, Any], known: set[str]) -> tuple[RoleEvidence, ...]:
    out = []
    for test_id, spec in (data.get("role_evidence") or {}).items():
        if str(test_id) not in known:
            raise ValueError(f"reasons.yaml: role_evidence: unknown test id {test_id!r}")
        if not isinstance(spec, dict) or not {"role", "reasons"} <= set(spec):
            raise ValueError(
                f"reasons.yaml: role_evidence.{test_id}: expected 'role' and 'reasons' regexes"
            )
        out.append(
            RoleEvidence(
                str(test_id),
                re.compile(str(spec["role"]), _FLAGS),
                re.compile(str(spec["reasons"]), _FLAGS),
            )
        )
    return tuple(out)


def slugify(text: str) -> str:
    """The URL slug the Ombudsman's site uses for a display name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@cache
def load_patterns() -> Patterns:
    """Read and compile the package's pattern files (cached for the process)."""
    data = _load_yaml("patterns.yaml")
    reasons = _load_yaml("reasons.yaml")
    cats = _load_yaml("categories.yaml")
    headings: dict[str, str] = {}
    for key, labels in data["headings"].items():
        for label in labels:
            headings[label_key(label)] = str(key)
    header = data["header"]
    titles = "|".join(re.escape(t) for t in data["complainant"]["titles"])
    person = rf"(?:{titles})\.?\s+[A-Z]\b"
    complainant = re.compile(rf"\b(?:(?:{titles})\.?\s+(?:and|&)\s+{person}|{person})")
    name = (
        rf"(?:(?:{titles})\.?\s+(?:and|&)\s+{person}|{person}|Company [A-Z]\b|"
        r"(?<![A-Za-z'])[A-HJ-Z](?![A-Za-z']))"
    )
    relation = r"(?:'s (?:parents|representative|advocate|family))?"
    named = re.compile(
        r"(?:[Tt]he complainants?|[Tt]he person (?:that|who) complained(?: to us)?)[,\s]+"
        r"(?:(?:whom|who|which) (?:I|we) (?:shall|will|have|'ll)?\s*(?:call|refer to as|"
        r"describe as|called|referred to as|be referring to as)\s+|"
        r"will be (?:referred to|called|described) as\s+|is\s+)?"
        rf"['\"]?(?P<name>{name}(?:\s+(?:and|&)\s+{person})?)"
    )
    subject = tuple(
        re.compile(
            rf"(?:^|(?<=[.!?;:,]\s)|(?<=\n))(?P<name>{name}(?:\s+(?:and|&)\s+{person})?{relation})"
            rf"(?:\s*\([^)]{{0,40}}\))?(?:,[^,.]{{0,80}},)?\s+"
            rf"(?:also\s+|has\s+|had\s+|have\s+)?(?:{verbs})\b",
            re.MULTILINE,
        )
        for verbs in (
            "complains|complained|complain|is complaining|are complaining|brings|brought",
            "says|said|believes|believed|considers|considered|feels|felt|wants|wanted",
        )
    )
    categories: dict[str, str] = {}
    for top, subs in cats["categories"].items():
        for sub in subs:
            categories[f"{slugify(top)}/{slugify(sub)}"] = f"{top} > {sub}"
        categories[slugify(top)] = str(top)
    rem = data["remedies"]
    tests = _test_rules(reasons)
    known = {rule.id for rule in tests}
    for rule in tests:
        unknown = set(rule.defer_to) - known
        if unknown:
            raise ValueError(f"reasons.yaml: tests.{rule.id}.defer.to: unknown {sorted(unknown)}")
    patterns = Patterns(
        headings=headings,
        assessment_subheadings=frozenset(label_key(h) for h in data["assessment_subheadings"]),
        reason_sections=tuple(data["reason_sections"]),
        furniture=tuple(re.compile(rf"^(?:{p})$", _FLAGS) for p in data["furniture"]),
        title=re.compile(header["title"]),
        category=re.compile(header["category"], _FLAGS),
        decision=re.compile(header["decision"], _FLAGS),
        decision_date=re.compile(header["decision_date"], _FLAGS),
        mirror=re.compile(header["mirror"]),
        reference_anywhere=re.compile(header["reference_anywhere"]),
        date_formats=tuple(header["date_formats"]),
        urls=_compile_all(data["urls"]),
        slug_lowercase_words=frozenset(data["slug_lowercase_words"]),
        outcomes={label_key(k): (str(v) if v else None) for k, v in data["outcomes"].items()},
        outcome_from_text=tuple(
            (str(item["id"]), _compile_all(item["patterns"])) for item in data["outcome_from_text"]
        ),
        complainant=complainant,
        complainant_named=named,
        complainant_subject=subject,
        complainant_sections=tuple(data["complainant"]["search_sections"]),
        acts=tuple(data["citations"]["acts"]),
        case_citations=tuple(re.compile(p) for p in data["citations"]["cases"]),
        remedy_commitment=re.compile(rem["commitment"], _FLAGS),
        remedy_kinds={k: _compile_all(v) for k, v in rem["kinds"].items()},
        remedy_amount=re.compile(rem["amount"]),
        remedy_deadline=re.compile(rem["deadline"], _FLAGS),
        remedy_sections=tuple(rem["sections"]),
        tests=tests,
        blockers=_compile_defined(reasons, "blockers"),
        scope_context=_compile_defined(reasons, "scope_context"),
        scope_paragraph=_compile_defined(reasons, "scope_paragraph"),
        subject_clause=_compile_defined(reasons, "subject_clause"),
        generic_appeal=_generic_appeal(reasons),
        hinted=_hinted(reasons, known),
        categories=categories,
        role_evidence=_role_evidence(reasons, known),
    )
    return patterns


def warm(patterns: Patterns) -> None:
    """Build every lazily joined or guarded regex now (a few seconds, once per process).

    A single statement compiles only what it needs; a process about to read many (an
    ingest worker, a benchmark) warms everything first, so none of it lands mid-corpus.
    """
    for name in (
        "prefilter",
        "furniture_line",
        "act_names",
        "acts_named",
        "act_word",
        "blocker",
        "scope_sentence",
        "scope_in_paragraph",
        "subject_clauses",
        "subject_prefilter",
        "outcome_cues",
        "outcome_prefilter",
    ):
        getattr(patterns, name)
    for rule in (*patterns.tests, *(h.rule for h in patterns.hinted), patterns.generic_appeal.rule):
        rule.warm()
