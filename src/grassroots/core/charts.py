"""Small server-side SVG charts, inline in pages: no JavaScript, no library, and only
presentation attributes (``fill=``, ``font-size=``…) since the Content-Security-Policy forbids
inline styles. Each chart has a ``<title>`` and every bar its own, for screen readers and as a
tooltip; the numbers themselves are also in a table next to the chart."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from grassroots.core.text import format_number

WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 8, 28, 24
INK, MUTED, LINE = "#1d2430", "#5b6676", "#d9dee5"

# Templates for format_html_join: each "{}" is an escaped value.
_BAR = '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>'
_TICK = f'<text x="{{}}" y="{HEIGHT - 8}" text-anchor="middle" fill="{INK}">{{}}</text>'
_KEY = f'<rect x="{{}}" y="{{}}" width="10" height="10" fill="{{}}"/><text x="{{}}" y="{{}}" fill="{INK}">{{}}</text>'
LEGEND_ROW = 18
CHAR_WIDTH = 7  # an average glyph at font-size 13, to lay the legend out without measuring


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]
    colour: str


def _nice_top(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def bar_chart(*, chart_id: str, title: str, labels: list[str], series: list[Series]) -> SafeString:
    """Vertical bars grouped by label (e.g. years), one colour per series, with a legend.
    ``chart_id`` must be unique in the page (it names the chart for screen readers)."""
    top = _nice_top(max((v for s in series for v in s.values), default=0))
    legend, legend_rows = _legend(series)
    margin_top = MARGIN_TOP + (legend_rows - 1) * LEGEND_ROW
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - margin_top - MARGIN_BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    baseline = margin_top + plot_h

    def y(value: int) -> float:
        return baseline - plot_h * value / top

    bars = []
    for i, label in enumerate(labels):
        x0 = MARGIN_LEFT + i * group_w + group_w * 0.1
        for j, s in enumerate(series):
            value = s.values[i]
            bars.append(
                (
                    f"{x0 + j * bar_w:.1f}",
                    f"{y(value):.1f}",
                    f"{bar_w - 1:.1f}",
                    f"{baseline - y(value):.1f}",
                    s.colour,
                    f"{label} — {s.name}: {format_number(value)}",
                )
            )
    # Label every year when they fit, every other one otherwise.
    every = 1 if group_w >= 34 else 2
    ticks = [
        (f"{MARGIN_LEFT + (i + 0.5) * group_w:.1f}", label)
        for i, label in enumerate(labels)
        if i % every == 0
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="{id}" font-family="sans-serif" font-size="13">'
        '<title id="{id}">{title}</title>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{muted}"/>'
        '<line x1="{left}" y1="{top_y}" x2="{right}" y2="{top_y}" stroke="{line}"/>'
        '<text x="{axis_x}" y="{top_label_y}" text-anchor="end" fill="{muted}">{top}</text>'
        '<text x="{axis_x}" y="{base}" text-anchor="end" fill="{muted}">0</text>'
        "{bars}{ticks}{legend}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        left=MARGIN_LEFT,
        right=WIDTH - MARGIN_RIGHT,
        base=baseline,
        top_y=margin_top,
        top_label_y=margin_top + 4,
        axis_x=MARGIN_LEFT - 4,
        muted=MUTED,
        line=LINE,
        top=format_number(top),
        bars=format_html_join("", _BAR, bars),
        ticks=format_html_join("", _TICK, ticks),
        legend=format_html_join("", _KEY, legend),
    )


LegendKey = tuple[int, int, str, int, int, str]


def _legend(series: list[Series]) -> tuple[list[LegendKey], int]:
    """Legend keys laid out left to right, wrapping to a new row when the next one would not
    fit; returns the keys and the number of rows."""
    keys: list[LegendKey] = []
    x, row = MARGIN_LEFT, 0
    for s in series:
        width = 14 + CHAR_WIDTH * len(s.name) + 18
        if x > MARGIN_LEFT and x + width > WIDTH - MARGIN_RIGHT:
            x, row = MARGIN_LEFT, row + 1
        top = 6 + row * LEGEND_ROW
        keys.append((x, top, s.colour, x + 14, top + 9, s.name))
        x += width
    return keys, row + 1
