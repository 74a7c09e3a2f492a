"""Public analytics over published decisions: SVG charts drawn on the server, tables, CSV.

Each chart has the table of its numbers beside it and the same rows as CSV, so nothing is
only in a picture. Only the corpus of published decisions is read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from ombuds.corpus.breakdowns import Breakdowns, breakdowns
from ombuds.corpus.store import Store
from ombuds.web import charts, labels
from ombuds.web.cache import per_generation
from ombuds.web.context import corpus_store, render

router = APIRouter(include_in_schema=False)

CHART_ROWS = 15
TABLE_ROWS = 50
# An upheld rate over fewer investigations says little: organisations below it are left out.
MIN_INVESTIGATED = 3


def current_breakdowns(store: Store) -> Breakdowns:
    """The breakdowns, recounted only when the corpus has changed (1 s at 100k decisions)."""
    return per_generation(store, "breakdowns", breakdowns)


@dataclass(frozen=True)
class Table:
    """One chart's numbers: the header and rows shown in the page and written as CSV."""

    name: str
    title: str
    header: list[str]
    rows: list[list[str]]


def _percent(rate: float | None) -> str:
    return f"{rate * 100:.0f}%" if rate is not None else ""


def tables(data: Breakdowns) -> dict[str, Table]:
    outcomes = _outcomes(data)
    year_rows = [
        [year if year != "unknown" else labels.UNKNOWN_LABEL]
        + [str(row.get(o, 0)) for o in outcomes]
        + [str(sum(row.values()))]
        for year, row in data.by_year_outcome.items()
    ]
    organisations = [r for r in data.organisations if r.investigated >= MIN_INVESTIGATED]
    return {
        "year-outcome": Table(
            "year-outcome",
            "Decisions by year and outcome",
            ["Year", *(labels.decision_label(o) for o in outcomes), "Total"],
            year_rows,
        ),
        "category": Table(
            "category",
            "Decisions by category",
            ["Category", "Decisions"],
            [[labels.category_label(c), str(n)] for c, n in data.by_category.items()],
        ),
        "reason": Table(
            "reason",
            "Decisions by reason (Assessment Code test)",
            ["Reason", "Decisions"],
            [[labels.reason_label(t), str(n)] for t, n in data.by_reason.items()],
        ),
        "organisation": Table(
            "organisation",
            "Upheld rate by organisation",
            ["Organisation", "Upheld", "Not upheld", "Upheld rate", "All decisions"],
            [
                [
                    r.organisation,
                    str(r.upheld),
                    str(r.not_upheld),
                    _percent(r.upheld_rate),
                    str(r.decisions),
                ]
                for r in organisations
            ],
        ),
    }


def _outcomes(data: Breakdowns) -> list[str]:
    seen: dict[str, int] = {}
    for row in data.by_year_outcome.values():
        for outcome, n in row.items():
            seen[outcome] = seen.get(outcome, 0) + n
    return sorted(seen, key=lambda o: (o == "unknown", -seen[o], o))


@router.get("/analytics", response_class=HTMLResponse)
def analytics_page(request: Request, store: Annotated[Store, Depends(corpus_store)]) -> Response:
    data = current_breakdowns(store)
    outcomes = _outcomes(data)
    known_years = {y: r for y, r in data.by_year_outcome.items() if y != "unknown"}
    organisations = [r for r in data.organisations if r.investigated >= MIN_INVESTIGATED]
    context = {
        "title": "Analytics",
        "section": "analytics",
        "total": data.total,
        "tables": tables(data),
        "table_rows": TABLE_ROWS,
        "min_investigated": MIN_INVESTIGATED,
        "undated": sum(data.by_year_outcome.get("unknown", {}).values()),
        "year_chart": charts.stacked_chart(
            known_years, outcomes, [labels.decision_label(o) for o in outcomes]
        ),
        "category_chart": charts.bar_chart(
            [
                (labels.category_label(c), n, f"{n:,}")
                for c, n in list(data.by_category.items())[:CHART_ROWS]
            ]
        ),
        "reason_chart": charts.bar_chart(
            [
                (labels.reason_label(t), n, f"{n:,}")
                for t, n in list(data.by_reason.items())[:CHART_ROWS]
            ]
        ),
        "organisation_chart": charts.bar_chart(
            [
                (
                    r.organisation,
                    r.upheld_rate or 0.0,
                    f"{_percent(r.upheld_rate)} of {r.investigated}",
                )
                for r in organisations[:CHART_ROWS]
            ],
            scale_max=1.0,
        ),
    }
    return render(request, "analytics/index.html", context)


@router.get("/analytics/{name}.csv")
def analytics_csv(name: str, store: Annotated[Store, Depends(corpus_store)]) -> Response:
    table = tables(current_breakdowns(store)).get(name)
    if table is None:
        raise HTTPException(status_code=404, detail=f"no table {name!r}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows([[_csv_safe(cell) for cell in row] for row in table.rows])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ombuds-{table.name}.csv"'},
    )


def _csv_safe(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula (organisation names come from pages)."""
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
