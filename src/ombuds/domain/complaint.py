"""The complaint as an assessor records it: who, about whom, when, and its points a), b), c)...

Facts are observations the assessor has established ("the body has apologised"), never
conclusions ("we cannot add anything"): the rulebook draws the conclusions. Which fact names
exist is decided by the scheme's rulebook (its fact vocabulary), so this model keeps them as a
mapping and :mod:`ombuds.intake` checks them against the vocabulary.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

FactValue = bool | int | str | None

REFERENCE_PATTERN = r"^\d{2} \d{3} \d{3}[a-z]?$"
_REFERENCE = re.compile(REFERENCE_PATTERN)
_COMPLAINANT = re.compile(r"^((Mr|Mrs|Ms|Miss|Mx|Dr) )?[A-Z]$")


def _check_reference(value: str) -> str:
    if not _REFERENCE.match(value):
        raise ValueError(
            f"case reference {value!r} is not of the form 'YY NNN NNN' (e.g. '24 009 458')"
        )
    return value


def _check_anonymised_name(value: str) -> str:
    if not _COMPLAINANT.match(value):
        raise ValueError(
            f"{value!r} is not an anonymised name: use a title and one capital letter "
            "(Mr X, Mrs X, Ms X, Miss B, Mx X) or a letter alone (X)"
        )
    return value


Reference = Annotated[str, AfterValidator(_check_reference)]
AnonymisedName = Annotated[str, AfterValidator(_check_anonymised_name)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Representative(_Strict):
    """Someone complaining on behalf of the person affected."""

    name: AnonymisedName = Field(
        description="How the statement names the representative, e.g. 'Mr Y'."
    )
    relationship: str = Field(description="Who they are to the person affected, e.g. 'her son'.")
    written_consent: bool = Field(
        description="The person affected has given written authority for them to complain."
    )
    suitable: bool | None = Field(
        default=None,
        description=(
            "Where the person affected has died or cannot give authority: the assessor judges the "
            "representative suitable (e.g. personal representative, lasting power of attorney)."
        ),
    )


class PersonAffected(_Strict):
    """Facts about the person affected that decide who may complain for them."""

    name: AnonymisedName | None = Field(
        default=None, description="How the statement names them, when not the complainant."
    )
    has_died: bool = False
    lacks_capacity: bool = Field(default=False, description="Cannot give authority to anyone.")
    is_child: bool = False


class KeyDates(_Strict):
    """The dates the time-limit and prematurity tests are measured from."""

    received: date = Field(description="When the Ombudsman received the complaint.")
    first_knew: date | None = Field(
        default=None, description="When the person affected first knew of the matter."
    )
    complained_to_body: date | None = Field(
        default=None, description="When the complaint was made to the council or care provider."
    )
    final_response: date | None = Field(
        default=None, description="The date of the body's final complaint response."
    )
    decision: date | None = Field(
        default=None, description="The decision date to print on the statement (default: today)."
    )

    @model_validator(mode="after")
    def _in_order(self) -> KeyDates:
        order = [
            ("first_knew", self.first_knew),
            ("complained_to_body", self.complained_to_body),
            ("final_response", self.final_response),
            ("received", self.received),
        ]
        known = [(name, value) for name, value in order if value is not None]
        for (a, da), (b, db) in pairwise(known):
            if da is not None and db is not None and da > db:
                raise ValueError(f"dates.{a} ({da}) is after dates.{b} ({db}); check both dates")
        if self.decision is not None and self.decision < self.received:
            raise ValueError(
                f"dates.decision ({self.decision}) is before dates.received ({self.received})"
            )
        return self


class PointPart(_Strict):
    """Part of a point assessed apart: an aspect (the personnel part) or a period (before a date).

    Real statements close part of a point and go on with the rest; the part carries its own
    facts (added to the point's) and the statement says it is not considered and why.
    """

    description: str = Field(
        min_length=3,
        description="Which part, as a phrase: 'the personnel matters', 'the court proceedings'.",
    )
    before: date | None = Field(
        default=None, description="The part is the events before this date (e.g. a late part)."
    )
    facts: dict[str, FactValue] = Field(
        default_factory=dict, description="Facts established about this part (rulebook names)."
    )
    notes: list[str] = Field(default_factory=list, description="The assessor's own sentences.")


class Point(_Strict):
    """One point of the complaint, a), b), c)..., with what the assessor established about it."""

    label: str = Field(pattern=r"^[a-z]$", description="The point's letter: a, b, c...")
    alleged: str = Field(min_length=3, description="What the complainant says went wrong.")
    injustice: str | None = Field(default=None, description="The injustice the complainant claims.")
    outcome_sought: str | None = Field(default=None, description="What the complainant wants.")
    first_knew: date | None = Field(
        default=None,
        description="When the person first knew of this point's matter, if it differs.",
    )
    complained_to_body: date | None = Field(
        default=None, description="When this point was put to the body, if it differs."
    )
    final_response: date | None = Field(
        default=None, description="The body's final response on this point, if it differs."
    )
    facts: dict[str, FactValue] = Field(
        default_factory=dict,
        description="Facts the assessor established about this point (names from the rulebook).",
    )
    notes: list[str] = Field(
        default_factory=list,
        description="The assessor's own sentences for 'My assessment' on this point.",
    )
    parts: list[PointPart] = Field(
        default_factory=list,
        description="Parts of the point assessed apart (an aspect, or events before a date).",
    )


class Complaint(_Strict):
    """A complaint file: the input of an assessment."""

    reference: Reference = Field(description="Case reference 'YY NNN NNN'.")
    organisation: str = Field(min_length=2, description="The body complained about.")
    category: str = Field(description="'Top level > Subcategory' from the scheme's taxonomy.")
    complainant: AnonymisedName = Field(description="How the statement names the complainant.")
    representative: Representative | None = None
    person_affected: PersonAffected = Field(default_factory=PersonAffected)
    dates: KeyDates
    subject: str = Field(
        min_length=3,
        description="What the complaint is about, as a phrase: 'how the Council handled ...'.",
    )
    considered: list[str] = Field(
        default_factory=lambda: ["the complainant"],
        description="Whose information was considered: 'the complainant', 'the Council'...",
    )
    facts: dict[str, FactValue] = Field(
        default_factory=dict, description="Facts about the complaint as a whole."
    )
    points: list[Point] = Field(min_length=1, description="The complaint's points a), b), c)...")
    received_text: str | None = Field(
        default=None,
        max_length=100_000,
        description=(
            "The complaint as the person wrote it, kept on the case for the assessor (and for "
            "finding similar decisions); never printed in a statement."
        ),
    )
    main_reason: str | None = Field(
        default=None,
        description=(
            "The test id the summary and final decision give first ('This is mainly because "
            "...'), when the assessor chooses it; by default the reason that closes most points."
        ),
    )

    @model_validator(mode="after")
    def _labels_in_sequence(self) -> Complaint:
        labels = [p.label for p in self.points]
        expected = [chr(ord("a") + i) for i in range(len(labels))]
        if labels != expected:
            raise ValueError(
                f"points must be labelled {', '.join(expected)} in order; found {', '.join(labels)}"
            )
        order = ("first_knew", "complained_to_body", "final_response")
        for point in self.points:
            for name in order:
                value = getattr(point, name)
                if value is not None and value > self.dates.received:
                    raise ValueError(
                        f"point {point.label}: {name} ({value}) is after dates.received "
                        f"({self.dates.received}); check both dates"
                    )
            # a point's own dates in order (a point may well start after the complaint's own
            # dates: complaint handling is known of only once the body has replied)
            own = [(name, getattr(point, name)) for name in order if getattr(point, name)]
            for (a, da), (b, db) in pairwise(own):
                if da > db:
                    raise ValueError(
                        f"point {point.label}: {a} ({da}) is after {b} ({db}); check both dates"
                    )
        return self
