"""Template filters that turn the pool's stored codes (day-parts, levels) into Dutch labels."""

from __future__ import annotations

from django import template

from onderwijsregio.pool.models import DAY_PART_CHOICES, Level

register = template.Library()

DAY_PART_LABELS = dict(DAY_PART_CHOICES)


@register.filter
def day_parts_label(values) -> str:
    """["0-0", "2-1"] -> "maandag ochtend, woensdag middag" (in week order)."""
    chosen = set(values or ())
    return ", ".join(str(label) for value, label in DAY_PART_CHOICES if value in chosen) or "—"


@register.filter
def levels_label(values) -> str:
    return ", ".join(str(Level(value).label) for value in values or () if value in Level.values) or "—"


@register.filter
def hours(value) -> str:
    """Decimal hours without a trailing ",0": 8 -> "8", 7.5 -> "7,5"."""
    if value is None:
        return "—"
    text = f"{float(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
