"""Small server-side SVG charts, inline in pages: no JavaScript, no library, and only
presentation attributes (``fill=``, ``font-size=``…) since the Content-Security-Policy forbids
inline styles. Each chart has a ``<title>`` and every bar its own, for screen readers and as a
tooltip; the numbers themselves are also in a table next to the chart."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from grassroots.core.text import format_number

# The chart has no viewBox: its width follows the page (x coordinates are percentages of a
# nominal WIDTH) while heights and the text are in CSS pixels, so labels keep their 13 px on a
# phone instead of shrinking with the drawing (a 640-unit viewBox in a 340 px card gave ~7 px).
WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 8, 18, 24
INK, MUTED, LINE = "#1d2430", "#5b6676", "#d9dee5"
FONT_SIZE = 13

# Templates for format_html_join: each "{}" is an escaped value.
_BAR = '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>'
# Every other year's label is hidden on a narrow screen (class "tick-odd", grassroots.css).
_TICK = f'<text x="{{}}" y="{{}}" text-anchor="middle" fill="{INK}" class="{{}}">{{}}</text>'
_KEY = f'<rect x="0" y="{{}}" width="10" height="10" fill="{{}}"/><text x="14" y="{{}}" fill="{INK}">{{}}</text>'
LEGEND_ROW = 18


def _pct(units: float) -> str:
    """An x coordinate or width in units of the nominal WIDTH, as a percentage of the chart."""
    return f"{100 * units / WIDTH:.2f}%"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int] | list[float]
    colour: str


def _decimals(value: float) -> int:
    """Decimals to show of a bar's value: none for a whole number, else up to two."""
    return 0 if float(value).is_integer() else 2


def _nice_top(value: float) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


@dataclass(frozen=True)
class Reference:
    """A horizontal dashed line across the bars (e.g. what was expected), in the legend."""

    name: str
    value: float
    colour: str


def bar_chart(
    *,
    chart_id: str,
    title: str,
    labels: list[str],
    series: list[Series],
    reference: Reference | None = None,
) -> SafeString:
    """Vertical bars grouped by label (e.g. years), one colour per series, with a legend (one
    row per series, above the plot); ``reference``: a level drawn as a dashed line. ``chart_id``
    must be unique in the page (it names the chart for screen readers)."""
    highest = max((v for s in series for v in s.values), default=0)
    if reference is not None:
        highest = max(highest, reference.value)
    top = _nice_top(highest)
    keyed = [*series, Series(reference.name, [], reference.colour)] if reference else series
    legend, legend_rows = _legend(keyed)
    margin_top = MARGIN_TOP + legend_rows * LEGEND_ROW
    height = HEIGHT + (legend_rows - 1) * LEGEND_ROW
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = height - margin_top - MARGIN_BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    baseline = margin_top + plot_h

    def y(value: float) -> float:
        return baseline - plot_h * value / top

    bars = []
    for i, label in enumerate(labels):
        x0 = MARGIN_LEFT + i * group_w + group_w * 0.1
        for j, s in enumerate(series):
            value = s.values[i]
            bars.append(
                (
                    _pct(x0 + j * bar_w),
                    f"{y(value):.1f}",
                    _pct(max(bar_w - 1, 0.5)),
                    f"{baseline - y(value):.1f}",
                    s.colour,
                    f"{label} — {s.name}: {format_number(value, decimals=_decimals(value))}",
                )
            )
    reference_line = ""
    if reference is not None:
        level = f"{y(reference.value):.1f}"
        reference_line = format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
            'stroke-dasharray="6 4"><title>{}: {}</title></line>',
            _pct(MARGIN_LEFT),
            level,
            _pct(WIDTH - MARGIN_RIGHT),
            level,
            reference.colour,
            reference.name,
            format_number(reference.value, decimals=_decimals(reference.value)),
        )
    # At most ten labels (the chart's width is unknown here; ten years fit a half-page card),
    # and half of those on a phone (grassroots.css hides "tick-odd").
    every = max(1, -(-len(labels) // 10))
    ticks = [
        (
            _pct(MARGIN_LEFT + (i + 0.5) * group_w),
            height - 8,
            "tick" if (i // every) % 2 == 0 else "tick tick-odd",
            label,
        )
        for i, label in enumerate(labels)
        if i % every == 0
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="{h}" class="chart" '
        'role="img" aria-labelledby="{id}" font-family="sans-serif" font-size="{font}">'
        '<title id="{id}">{title}</title>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{muted}"/>'
        '<line x1="{left}" y1="{top_y}" x2="{right}" y2="{top_y}" stroke="{line}"/>'
        '<text x="0" y="{top_label_y}" fill="{muted}">{top}</text>'
        '<text x="0" y="{base_label_y}" fill="{muted}">0</text>'
        "{bars}{reference_line}{ticks}{legend}</svg>",
        h=height,
        font=FONT_SIZE,
        id=chart_id,
        title=title,
        left=_pct(MARGIN_LEFT),
        right=_pct(WIDTH - MARGIN_RIGHT),
        base=baseline,
        top_y=margin_top,
        top_label_y=margin_top - 4,
        base_label_y=baseline - 3,
        muted=MUTED,
        line=LINE,
        top=format_number(top),
        bars=format_html_join("", _BAR, bars),
        reference_line=reference_line,
        ticks=format_html_join("", _TICK, ticks),
        legend=format_html_join("", _KEY, legend),
    )


LegendKey = tuple[int, str, int, str]


def _legend(series: list[Series]) -> tuple[list[LegendKey], int]:
    """Legend keys, one row per series (a row's width does not depend on the screen's); returns
    the keys and the number of rows."""
    keys = [
        (2 + row * LEGEND_ROW, s.colour, 11 + row * LEGEND_ROW, s.name)
        for row, s in enumerate(series)
    ]
    return keys, max(len(series), 1)
