"""Load and validate a scheme's rulebook folder.

A scheme is a folder: ``scheme.yaml`` (house style, how outcomes combine), ``facts.yaml`` (the
fact vocabulary), ``tests.yaml`` (the rules), ``categories.yaml``, ``cases/`` (YAML test cases) and
``templates/`` (the wording). Everything is checked on load, so a mistake in the data fails
loudly with the file and line rather than quietly changing a recommendation.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ombuds.domain.outcomes import Recommendation
from ombuds.rulebook.conditions import Condition, ConditionError, parse_condition
from ombuds.rulebook.model import (
    Edition,
    Exception_,
    Fact,
    OverallRule,
    ReferTo,
    Role,
    Rulebook,
    Stage,
    Test,
)
from ombuds.sourcemap import DocumentError, LoadedDocument, load_document

SCHEMES = Path(__file__).parent / "schemes"


class RulebookError(ValueError):
    """The rulebook's data is invalid; the message names the file, line and what to fix."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactSpec(_Spec):
    type: Literal["bool", "int", "text", "enum"]
    ask: str
    presume: bool | int | str | None = None
    values: list[str] = Field(default_factory=list)
    derived: bool = False
    recordable: bool = False
    source: str | None = Field(default=None, alias="from")
    date: Literal["first_knew", "complained_to_body", "final_response"] | None = None


class ExceptionSpec(_Spec):
    id: str
    when: Any
    says: str


class TestSpec(_Spec):
    __test__ = False

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    stage: Stage
    order: int
    question: str
    citation: str
    applies_when: Any
    unless: list[ExceptionSpec] = Field(default_factory=list)
    bar: bool = False
    outcome: Recommendation = Recommendation.CLOSED_AFTER_INITIAL_ENQUIRIES
    effect: Literal["close", "forward"] = "close"
    phase: Literal["substantive", "after_substantive"] = "substantive"
    sets_aside: list[str] = Field(default_factory=list)
    role: Role
    refer_to: list[str | dict[str, str]] = Field(default_factory=list)
    published: bool | None = None
    confidence: Literal["V", "K", "?"]
    notes: str | None = None
    stated_when: Any = None
    yields_to: list[str] = Field(default_factory=list)


class OverallSpec(_Spec):
    decision: Recommendation
    when_any_point: list[Recommendation] = Field(default_factory=list)
    when_all_points: list[Recommendation] = Field(default_factory=list)
    otherwise: bool = False


class EditionSpec(_Spec):
    start: date = Field(alias="from")
    discretion_citation: str
    assessment_heading: str
    style: str = Field(pattern=r"^[a-z0-9_]+$")


class SchemeSpec(_Spec):
    id: str
    name: str
    act: str
    version: int
    substantive_point: Any
    overall: list[OverallSpec]
    editions: list[EditionSpec] = Field(min_length=1)
    general_citation: str
    short_names: list[dict[str, str]]
    citation_forms: list[str]


def _read(path: Path) -> LoadedDocument:
    try:
        return load_document(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulebookError(f"{path}: file missing from the scheme folder") from None
    except DocumentError as exc:
        raise RulebookError(f"{path}:{exc.line or '?'}: {exc}") from None


def _validated(
    model: type[_Spec], raw: object, path: Path, doc: LoadedDocument, where: tuple[str | int, ...]
) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = where + tuple(err["loc"])
        line = doc.line_of(loc)
        field = ".".join(str(p) for p in loc)
        raise RulebookError(f"{path}:{line}: {field}: {err['msg']}") from None


def load_rulebook(
    scheme: str = "lgsco",
    folder: Path | None = None,
    extra_categories: dict[str, list[str]] | None = None,
) -> Rulebook:
    """Load, validate and return a scheme's rulebook (cached for the built-in schemes)."""
    if folder is None and extra_categories is None:
        return _load_builtin(scheme)
    return _load(folder or SCHEMES / scheme, extra_categories or {})


@lru_cache(maxsize=8)
def _load_builtin(scheme: str) -> Rulebook:
    folder = SCHEMES / scheme
    if not folder.is_dir():
        known = ", ".join(sorted(p.name for p in SCHEMES.iterdir() if p.is_dir()))
        raise RulebookError(f"unknown scheme {scheme!r}; known schemes: {known}")
    return _load(folder, {})


def _load(folder: Path, extra_categories: dict[str, list[str]]) -> Rulebook:
    scheme_path = folder / "scheme.yaml"
    scheme_doc = _read(scheme_path)
    scheme: SchemeSpec = _validated(SchemeSpec, scheme_doc.data, scheme_path, scheme_doc, ())

    facts = _load_facts(folder / "facts.yaml")
    forms = [re.compile(f) for f in scheme.citation_forms]

    tests_path = folder / "tests.yaml"
    tests_doc = _read(tests_path)
    raw_tests = tests_doc.data.get("tests") if isinstance(tests_doc.data, dict) else None
    if not isinstance(raw_tests, list):
        raise RulebookError(f"{tests_path}: expected a top-level 'tests:' list")
    tests: list[Test] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_tests):
        spec: TestSpec = _validated(TestSpec, raw, tests_path, tests_doc, ("tests", index))
        line = tests_doc.line_of(("tests", index))
        where = f"{tests_path}:{line}: test {spec.id}"
        if spec.id in seen:
            raise RulebookError(f"{where}: duplicate test id (first at line {seen[spec.id]})")
        seen[spec.id] = line or 0
        tests.append(_build_test(spec, where, facts, forms))
        _check_template(folder, spec.id, where)

    tests.sort(key=lambda t: t.order)
    for test in tests:
        unknown = sorted(set(test.sets_aside) - seen.keys())
        if unknown:
            raise RulebookError(
                f"{tests_path}: test {test.id}: sets_aside names unknown "
                f"test(s) {', '.join(unknown)}"
            )
        unknown = sorted(set(test.yields_to) - seen.keys())
        if unknown:
            raise RulebookError(
                f"{tests_path}: test {test.id}: yields_to names unknown "
                f"test(s) {', '.join(unknown)}"
            )
        if test.sets_aside and test.effect != "forward":
            raise RulebookError(
                f"{tests_path}: test {test.id}: only a 'forward' test can set other tests aside"
            )
        bars = [t for t in tests if t.id in test.sets_aside and t.bar]
        if bars:
            raise RulebookError(
                f"{tests_path}: test {test.id}: cannot set aside the bar {bars[0].id}"
            )

    categories = _load_categories(folder / "categories.yaml")
    for top, subs in extra_categories.items():
        categories[top] = tuple(sorted({*categories.get(top, ()), *subs}))

    substantive = _condition(scheme.substantive_point, f"{scheme_path}: substantive_point", facts)
    return Rulebook(
        id=scheme.id,
        name=scheme.name,
        version=scheme.version,
        facts=facts,
        tests=tuple(tests),
        substantive_point=substantive,
        overall=tuple(
            OverallRule(
                o.decision, frozenset(o.when_any_point), frozenset(o.when_all_points), o.otherwise
            )
            for o in scheme.overall
        ),
        editions=tuple(
            sorted(
                (
                    Edition(e.start, e.discretion_citation, e.assessment_heading, e.style)
                    for e in scheme.editions
                ),
                key=lambda e: e.start,
                reverse=True,
            )
        ),
        general_citation=scheme.general_citation,
        short_names=tuple((s["contains"], s["name"]) for s in scheme.short_names),
        categories=categories,
        folder=str(folder),
        retired=_load_retired(folder / "facts.yaml", facts),
    )


def _load_retired(path: Path, facts: dict[str, Fact]) -> dict[str, str]:
    """Facts retired from the vocabulary, each with what to record instead."""
    doc = _read(path)
    raw = doc.data.get("retired", {}) if isinstance(doc.data, dict) else {}
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise RulebookError(f"{path}: 'retired:' maps a fact name to what to record instead")
    clash = sorted(set(raw) & facts.keys())
    if clash:
        raise RulebookError(f"{path}: retired fact(s) {', '.join(clash)} are still in 'facts:'")
    return {str(k): v for k, v in raw.items()}


def _load_facts(path: Path) -> dict[str, Fact]:
    doc = _read(path)
    raw = doc.data.get("facts") if isinstance(doc.data, dict) else None
    if not isinstance(raw, dict):
        raise RulebookError(f"{path}: expected a top-level 'facts:' mapping")
    facts: dict[str, Fact] = {}
    for name, body in raw.items():
        spec: FactSpec = _validated(FactSpec, body, path, doc, ("facts", name))
        line = doc.line_of(("facts", name))
        if spec.type == "enum" and not spec.values:
            raise RulebookError(f"{path}:{line}: fact {name}: an enum fact needs 'values'")
        if spec.presume is not None and spec.derived:
            raise RulebookError(f"{path}:{line}: fact {name}: a derived fact has no presumption")
        if spec.recordable and not spec.derived:
            raise RulebookError(f"{path}:{line}: fact {name}: only a derived fact is 'recordable'")
        if spec.date is not None and not spec.recordable:
            raise RulebookError(
                f"{path}:{line}: fact {name}: 'date' is for a recordable derived fact (one an "
                "assessor may answer with the date it is worked out from)"
            )
        facts[name] = Fact(
            name,
            spec.type,
            spec.ask,
            spec.presume,
            tuple(spec.values),
            spec.derived,
            spec.source,
            spec.recordable,
            spec.date,
        )
    return facts


def _condition(raw: object, where: str, facts: dict[str, Fact]) -> Condition:
    try:
        condition = parse_condition(raw, where)
    except ConditionError as exc:
        raise RulebookError(str(exc)) from None
    unknown = sorted(condition.fact_names() - facts.keys())
    if unknown:
        raise RulebookError(
            f"{where}: unknown fact(s) {', '.join(unknown)}; declare them in facts.yaml"
        )
    return condition


def _build_test(
    spec: TestSpec, where: str, facts: dict[str, Fact], forms: list[re.Pattern[str]]
) -> Test:
    if not any(form.match(spec.citation) for form in forms):
        raise RulebookError(
            f"{where}: citation {spec.citation!r} is not in a recognised form "
            "(see citation_forms in scheme.yaml)"
        )
    if spec.bar and spec.stage == "discretion":
        raise RulebookError(f"{where}: discretionary tests cannot be bars")
    if spec.phase == "after_substantive" and spec.stage != "discretion":
        raise RulebookError(f"{where}: only discretionary tests can be judged after_substantive")
    exception_ids = [e.id for e in spec.unless]
    if len(set(exception_ids)) != len(exception_ids):
        raise RulebookError(f"{where}: exception ids must be unique within a test")
    refer_to: list[ReferTo] = []
    for item in spec.refer_to:
        entry = {"text": item} if isinstance(item, str) else dict(item)
        unknown = {k for k in entry if k not in {"text", "fact", "when"}}
        named = [entry[k] for k in ("fact", "when") if k in entry]
        if unknown or ("text" in entry) == ("fact" in entry):
            raise RulebookError(
                f"{where}: refer_to entries are a name, or 'fact'/'text' with an optional 'when'"
            )
        if any(name not in facts for name in named):
            raise RulebookError(f"{where}: refer_to names an unknown fact in {entry}")
        text = entry.get("text")
        unconfirmed = bool(text and text.endswith("(K)"))
        if text and unconfirmed:
            text = text.removesuffix("(K)").strip()
        refer_to.append(
            ReferTo(
                text=text, fact=entry.get("fact"), when=entry.get("when"), unconfirmed=unconfirmed
            )
        )
    return Test(
        id=spec.id,
        stage=spec.stage,
        order=spec.order,
        question=spec.question,
        citation=spec.citation,
        applies_when=_condition(spec.applies_when, f"{where}: applies_when", facts),
        unless=tuple(
            Exception_(e.id, _condition(e.when, f"{where}: unless {e.id}", facts), e.says)
            for e in spec.unless
        ),
        bar=spec.bar,
        outcome=spec.outcome,
        effect=spec.effect,
        phase=spec.phase,
        sets_aside=tuple(spec.sets_aside),
        role=spec.role,
        refer_to=tuple(refer_to),
        published=spec.published,
        confidence=spec.confidence,
        notes=spec.notes,
        yields_to=tuple(spec.yields_to),
        stated_when=(
            None
            if spec.stated_when is None
            else _condition(spec.stated_when, f"{where}: stated_when", facts)
        ),
    )


def _check_template(folder: Path, test_id: str, where: str) -> None:
    template = folder / "templates" / "tests" / f"{test_id}.j2"
    if not template.is_file():
        raise RulebookError(
            f"{where}: no wording template; write templates/tests/{test_id}.j2 in the scheme"
        )


def _load_categories(path: Path) -> dict[str, tuple[str, ...]]:
    doc = _read(path)
    raw = doc.data.get("categories") if isinstance(doc.data, dict) else None
    if not isinstance(raw, dict):
        raise RulebookError(f"{path}: expected a top-level 'categories:' mapping")
    return {str(top): tuple(str(s) for s in subs) for top, subs in raw.items()}
