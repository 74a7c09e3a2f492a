"""The Jinja environment: our templates, GOV.UK Frontend's macros, and the label filters."""

from __future__ import annotations

from datetime import date
from functools import cache

from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape
from starlette.templating import Jinja2Templates

from ombuds.web import labels

SERVICE_NAME = "ombuds"


def _long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else labels.UNKNOWN_LABEL


@cache
def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("ombuds.web", "templates"),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(["html", "svg", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        decision_label=labels.decision_label,
        reason_label=labels.reason_label,
        reason_question=labels.reason_question,
        reason_citation=labels.reason_citation,
        fact_question=labels.fact_question,
        category_label=labels.category_label,
        slug=labels.reference_slug,
        long_date=_long_date,
    )
    env.globals["service_name"] = SERVICE_NAME
    return env


@cache
def templates() -> Jinja2Templates:
    return Jinja2Templates(env=environment())
