"""Chart geometry for server-rendered SVG: pure functions from numbers to positions.

No markup here: templates (templates/desk/_*chart*.html) draw the shapes and escape the labels.
Horizontal positions are percentages of the chart's width, so an SVG without a viewBox stretches
to its container while its text keeps its size (no tiny labels on a phone); vertical positions
are pixels. Every bar is in proportion to the largest value of its chart, which is drawn at
full length; a zero value draws no bar.
"""

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

Number = int | Decimal

# Horizontal bars: a line of text (label, value), then the bars of each series.
LABEL_LINE = 20
BAR_HEIGHT = 10
BAR_GAP = 3
ROW_GAP = 14
# Columns: a band for the legend and the scale above the plot, the week labels below it.
TOP_BAND = 26
PLOT_HEIGHT = 280
AXIS_BAND = 24
# How much of a label fits beside its value on a phone: Latin characters count 1, Chinese 2.
LABEL_BUDGET = 34


def _pct(part: float) -> str:
    """A percentage for an SVG attribute: "0.00" to "100.00", dot decimal whatever the locale."""
    return f"{part:.2f}"


def proportions(values: Sequence[Number]) -> list[float]:
    """Each value as a share (0 to 100) of the largest; all zero when nothing is above zero."""
    top = max((v for v in values), default=0)
    if not top or top <= 0:
        return [0.0 for _ in values]
    return [max(float(v), 0.0) * 100.0 / float(top) for v in values]


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def clip(label: str, budget: int = LABEL_BUDGET) -> str:
    """The label shortened with "…" to about `budget` Latin characters' width (a Chinese
    character counts two); the full label stays in the chart's tooltip and its table."""
    if sum(_width(c) for c in label) <= budget:
        return label
    used, kept = 0, []
    for char in label:
        used += _width(char)
        if used > budget - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


@dataclass(frozen=True)
class Item:
    """One row (or column group) of a chart: a stored key, its label in the reader's language,
    and one value per series."""

    key: str
    label: str
    values: tuple[Number, ...]


@dataclass
class BarShape:
    value: Number
    text: str
    series: int
    drawn: bool
    # Horizontal bars: y and height in px, width in % of the chart. Strings, written for an
    # SVG attribute (a template would localise a float's decimal point).
    y: str = "0"
    height: str = str(BAR_HEIGHT)
    width_pct: str = "0.00"
    # Columns: x and width in %, y and height in px.
    x_pct: str = "0.00"


@dataclass
class Row:
    key: str
    label: str
    short_label: str
    text: str
    label_y: int
    bars: list[BarShape] = field(default_factory=list)
    # A CSS class for the row's bars (a status's colour) and the row's tooltip, set by whoever
    # labels the chart.
    css: str = ""
    title: str = ""


def bar_chart(
    items: Sequence[Item],
    *,
    fmt: Callable[[Number], str] = lambda v: f"{v:,}",
    row_text: Callable[[Item], str] | None = None,
) -> dict:
    """Horizontal bars, one row per item, one bar per series, all against the largest value.
    `fmt` writes a bar's value; `row_text` what the row shows at its right end (by default the
    first series' value)."""
    series = max((len(item.values) for item in items), default=1)
    shares = proportions([v for item in items for v in item.values])
    rows, y = [], 0
    for item in items:
        row = Row(
            key=item.key,
            label=item.label,
            short_label=clip(item.label),
            text=row_text(item) if row_text else fmt(item.values[0]),
            label_y=y + 14,
        )
        bar_y = y + LABEL_LINE
        for index, value in enumerate(item.values):
            share = shares.pop(0)
            row.bars.append(
                BarShape(
                    value=value,
                    text=fmt(value),
                    series=index,
                    drawn=share > 0,
                    y=str(bar_y),
                    width_pct=_pct(share),
                )
            )
            bar_y += BAR_HEIGHT + BAR_GAP
        rows.append(row)
        y += LABEL_LINE + series * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + ROW_GAP
    return {"rows": rows, "height": max(y - ROW_GAP, 1), "series": series}


@dataclass
class Column:
    key: str
    label: str
    tick: str
    # Centre of the group, for its tick label, in %.
    centre_pct: str
    # Shown on narrow screens only every other tick fits.
    minor: bool
    bars: list[BarShape] = field(default_factory=list)
    title: str = ""


def column_chart(
    items: Sequence[Item],
    *,
    tick: Callable[[Item], str],
    fmt: Callable[[Number], str] = lambda v: f"{v:,}",
) -> dict:
    """Vertical bars grouped by item (a week), one bar per series side by side, all against
    the largest value, which reaches the top line of the plot."""
    series = max((len(item.values) for item in items), default=1)
    values = [v for item in items for v in item.values]
    shares = proportions(values)
    group = 100.0 / max(len(items), 1)
    # Bars fill 70% of their group; the rest is the gap between groups.
    bar = group * 0.7 / series
    baseline = TOP_BAND + PLOT_HEIGHT
    columns = []
    for position, item in enumerate(items):
        left = group * position + group * 0.15
        column = Column(
            key=item.key,
            label=item.label,
            tick=tick(item),
            centre_pct=_pct(group * position + group / 2),
            minor=(len(items) - 1 - position) % 2 == 1,
        )
        for index, value in enumerate(item.values):
            share = shares.pop(0)
            height = PLOT_HEIGHT * share / 100.0
            column.bars.append(
                BarShape(
                    value=value,
                    text=fmt(value),
                    series=index,
                    drawn=share > 0,
                    x_pct=_pct(left + bar * index),
                    width_pct=_pct(bar),
                    y=f"{baseline - height:.2f}",
                    height=f"{height:.2f}",
                )
            )
        columns.append(column)
    top = max(values, default=0)
    return {
        "columns": columns,
        "series": series,
        "top": top,
        "top_text": fmt(top),
        "top_y": TOP_BAND,
        "scale_y": TOP_BAND - 6,
        "middle_y": TOP_BAND + PLOT_HEIGHT // 2,
        "baseline": baseline,
        "tick_y": baseline + 17,
        "height": baseline + AXIS_BAND,
        "legend_y": 14,
    }
