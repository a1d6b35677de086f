"""Accessible SVG charts rendered on the server: no JavaScript, no plotting library.

Each function returns SVG markup as a string to be placed inline in a page. Every text passed in
is escaped here, so callers may mark the result safe. Colours and text meet WCAG 2.1 AA against
a white background (text at least 4.5:1, bars and lines at least 3:1), and series in a line chart
differ in dash pattern and marker as well as colour. A chart never stands alone: pages show the
same numbers in a table next to it, which is the text alternative; the chart's <title> and <desc>
say so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# The theme's palette (static/css/theme.css), all checked against white.
TEXT_COLOUR = "#1a2733"  # 15.1:1
AXIS_COLOUR = "#44525f"  # 8.0:1
GRID_COLOUR = "#d5dde4"  # decoration only: values are read from labels and the table
BAR_COLOUR = "#1f4e79"  # 8.6:1
# (colour, dash pattern, marker shape): series never differ by colour alone.
SERIES_STYLES: tuple[tuple[str, str, str], ...] = (
    ("#1f4e79", "", "circle"),
    ("#0d6464", "8 4", "square"),
    ("#5b3a7a", "2 3", "diamond"),
    ("#a4161a", "10 3 2 3", "triangle"),
    ("#6b4200", "4 4", "circle"),
    ("#102c47", "1 2", "square"),
)


@dataclass(frozen=True)
class Series:
    label: str
    # one value per x label; None where there is no figure (the line breaks there)
    values: Sequence[float | None]


# Characters XML 1.0 does not allow; a stray one in a name would make the whole page's SVG invalid.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: object) -> str:
    return escape(_NOT_XML.sub("", str(value)), quote=False)


def _attr(value: object) -> str:
    return escape(_NOT_XML.sub("", str(value)), quote=True)


def dutch_number(value: float) -> str:
    """A figure as Dutch readers write it: 12.345 and 1,5 (the default; pages pass their locale's)."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _nice_max(value: float) -> float:
    """A round upper bound for an axis (1, 2, 2.5, 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="or-chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{_attr(chart_id)}-title {_attr(chart_id)}-desc" focusable="false">',
        f'<title id="{_attr(chart_id)}-title">{_text(title)}</title>',
        f'<desc id="{_attr(chart_id)}-desc">{_text(description)}</desc>',
    ]


def _empty(chart_id: str, title: str, description: str, empty_text: str) -> str:
    parts = _open(chart_id, 400, 60, title, description)
    parts.append(f'<text x="8" y="36" fill="{TEXT_COLOUR}" font-size="16">{_text(empty_text or description)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    items: Sequence[tuple[str, float | None]],
    *,
    chart_id: str,
    title: str,
    description: str,
    empty_text: str = "",
    label_width: int = 200,
    bar_height: int = 24,
    width: int = 640,
    number_format: Callable[[float], str] = dutch_number,
) -> str:
    """A horizontal bar chart, one bar per item, the value written at the end of each bar.

    Horizontal bars keep long labels (municipality names) readable on small screens. An item
    whose value is None gets no bar and a dash; the caller's table says why. Text inherits the
    page's font.
    """
    if not items:
        return _empty(chart_id, title, description, empty_text)
    gap = 8
    top = 8
    value_space = 90
    plot_width = width - label_width - value_space
    height = top + len(items) * (bar_height + gap) + gap
    maximum = max((value or 0) for _, value in items)
    scale = plot_width / maximum if maximum > 0 else 0.0
    parts = _open(chart_id, width, height, title, description)
    parts.append(
        f'<line x1="{label_width}" y1="{top - 4}" x2="{label_width}" y2="{height - gap + 4}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_height + gap)
        middle = y + bar_height / 2
        parts.append(
            f'<text x="{label_width - 8}" y="{middle}" dominant-baseline="middle" text-anchor="end" '
            f'fill="{TEXT_COLOUR}" font-size="14">{_text(_truncate(label, label_width))}</text>'
        )
        bar_length = (value or 0) * scale
        parts.append(
            f'<rect class="or-chart__bar" x="{label_width}" y="{y}" width="{bar_length:.1f}" '
            f'height="{bar_height}" fill="{BAR_COLOUR}"><title>{_text(label)}: '
            f"{_text(number_format(value) if value is not None else '-')}</title></rect>"
        )
        parts.append(
            f'<text x="{label_width + bar_length + 6:.1f}" y="{middle}" dominant-baseline="middle" '
            f'fill="{TEXT_COLOUR}" font-size="14">{_text(number_format(value) if value is not None else "-")}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _truncate(label: str, label_width: int) -> str:
    # About 7.5 px per character at 14 px; the full label stays in the table and the bar's <title>.
    room = max(4, int(label_width / 7.5) - 1)
    return label if len(label) <= room else label[: room - 1] + "…"


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "diamond":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    empty_text: str = "",
    width: int = 640,
    height: int = 320,
    number_format: Callable[[float], str] = dutch_number,
) -> str:
    """A line chart with one line per series over the x labels (years), with a legend.

    A series with a single figure shows as a marker only; a None value breaks the line.
    """
    if not x_labels or not series or all(v is None for s in series for v in s.values):
        return _empty(chart_id, title, description, empty_text)
    left, right, top = 72, 16, 16
    legend_height = 24 * len(series)
    bottom = 40 + legend_height
    plot_width = width - left - right
    plot_height = height - top - bottom
    if plot_height < 80:
        height += 80 - plot_height
        plot_height = 80
    maximum = _nice_max(max((v or 0) for s in series for v in s.values))
    step_x = plot_width / (len(x_labels) - 1) if len(x_labels) > 1 else 0.0

    def x_at(index: int) -> float:
        return left + (index * step_x if len(x_labels) > 1 else plot_width / 2)

    def y_at(value: float) -> float:
        return top + plot_height - (value / maximum) * plot_height

    parts = _open(chart_id, width, height, title, description)
    for tick in range(5):
        value = maximum * tick / 4
        y = y_at(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y:.1f}" dominant-baseline="middle" text-anchor="end" fill="{TEXT_COLOUR}" '
            f'font-size="12">{_text(number_format(value))}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width - right}" y2="{top + plot_height}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    # Thin out x labels so they never overlap (about 48 px per label).
    every = max(1, -(-len(x_labels) * 48 // plot_width))
    for index, label in enumerate(x_labels):
        if index % every and index != len(x_labels) - 1:
            continue
        parts.append(
            f'<text x="{x_at(index):.1f}" y="{top + plot_height + 18}" text-anchor="middle" fill="{TEXT_COLOUR}" '
            f'font-size="12">{_text(label)}</text>'
        )
    for number, one in enumerate(series):
        colour, dash, shape = SERIES_STYLES[number % len(SERIES_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        segments: list[list[str]] = [segment]
        for index, value in enumerate(one.values[: len(x_labels)]):
            if value is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{x_at(index):.1f},{y_at(value):.1f}")
        parts.append(f'<g class="or-chart__series" data-series="{_attr(one.label)}">')
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2.5"'
                    f"{dash_attr}/>"
                )
        for index, value in enumerate(one.values[: len(x_labels)]):
            if value is not None:
                parts.append(_marker(shape, x_at(index), y_at(value), colour))
        parts.append("</g>")
        legend_y = top + plot_height + 40 + number * 24
        parts.append(
            f'<line x1="{left}" y1="{legend_y}" x2="{left + 32}" y2="{legend_y}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>'
        )
        parts.append(_marker(shape, left + 16, legend_y, colour))
        parts.append(
            f'<text x="{left + 40}" y="{legend_y}" dominant-baseline="middle" fill="{TEXT_COLOUR}" font-size="14" '
            f">{_text(one.label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
