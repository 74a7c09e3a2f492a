"""Chart geometry for server-rendered SVG: pure functions, no drawing library.

A chart is computed here (positions and sizes in the SVG's own units) and drawn by a template
(``templates/charts/``), so charts show without JavaScript and scale to any width through
their ``viewBox``. Every chart is shown beside a table with the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH = 420
ROW = 44  # one horizontal bar: its label line above, the bar below
BAR = 18
# GOV.UK Frontend palette, in an order whose neighbours differ in lightness too.
PALETTE = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f", "#85994b", "#28a197")


@dataclass(frozen=True)
class HBar:
    label: str
    text: str
    y: float
    width: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_height: int
    bars: list[HBar]


def bar_chart(
    rows: Sequence[tuple[str, float, str]], *, scale_max: float | None = None
) -> BarChart:
    """Horizontal bars, one per (label, value, text), longest for the largest value."""
    top = scale_max if scale_max is not None else max((v for _, v, _ in rows), default=0)
    usable = WIDTH - 110  # room for the value printed after the bar
    bars = [
        HBar(
            label=label,
            text=text,
            y=i * ROW,
            width=max(usable * value / top, 1.0) if top > 0 and value > 0 else 0.0,
        )
        for i, (label, value, text) in enumerate(rows)
    ]
    return BarChart(width=WIDTH, height=max(len(rows) * ROW, ROW), bar_height=BAR, bars=bars)


@dataclass(frozen=True)
class Segment:
    series: int
    y: float
    height: float
    value: int


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class LegendItem:
    label: str
    colour: str
    x: float
    y: float


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    plot_top: float
    plot_height: float
    column_width: float
    columns: list[Column]
    legend: list[LegendItem]
    colours: tuple[str, ...]


def stacked_chart(
    table: Mapping[str, Mapping[str, int]], series: Sequence[str], series_labels: Sequence[str]
) -> StackedChart:
    """Vertical columns (e.g. years), each stacked by series (e.g. outcomes)."""
    per_row = 2
    # A year label and its total under each column; legend above, two to a row.
    legend = [
        LegendItem(
            label, PALETTE[i % len(PALETTE)], (i % per_row) * WIDTH / per_row, (i // per_row) * 26
        )
        for i, label in enumerate(series_labels)
    ]
    plot_top = ((len(series) + per_row - 1) // per_row) * 26 + 30
    plot_height = 260.0
    slots = max(len(table), 1)
    slot = WIDTH / slots
    peak = max((sum(row.values()) for row in table.values()), default=0)
    columns = []
    for i, (label, row) in enumerate(table.items()):
        bottom = plot_top + plot_height
        segments = []
        for s, name in enumerate(series):
            value = int(row.get(name, 0))
            height = plot_height * value / peak if peak else 0.0
            bottom -= height
            if value:
                segments.append(Segment(series=s, y=bottom, height=height, value=value))
        columns.append(Column(label=label, x=i * slot, total=sum(row.values()), segments=segments))
    return StackedChart(
        width=WIDTH,
        height=int(plot_top + plot_height + 40),
        plot_top=plot_top,
        plot_height=plot_height,
        column_width=slot * 0.7,
        columns=columns,
        legend=legend,
        colours=PALETTE,
    )
