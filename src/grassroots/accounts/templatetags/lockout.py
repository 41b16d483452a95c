"""The lockout page's wording: a cool-off as Vietnamese words ("15 phút"), never the ISO
duration django-axes gives its template ("PT15M")."""

from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()

_UNITS = (("ngày", 86400), ("giờ", 3600), ("phút", 60), ("giây", 1))


@register.filter
def vn_duration(value: timedelta | None) -> str:
    """``timedelta(minutes=15)`` → ``"15 phút"``; ``timedelta(hours=1, minutes=30)`` →
    ``"1 giờ 30 phút"``."""
    if not isinstance(value, timedelta):
        return ""
    seconds = int(value.total_seconds())
    parts = []
    for name, size in _UNITS:
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(f"{amount} {name}")
    return " ".join(parts)
