"""Vietnamese display filters, built into every template (see TEMPLATES["OPTIONS"]["builtins"])."""

from typing import Any

from django import template

from grassroots.core import text

register = template.Library()


@register.filter
def vn_number(value: Any, decimals: int = 0) -> str:
    """1023 → "1.023"."""
    if value in (None, ""):
        return ""
    return text.format_number(value, decimals=int(decimals))


@register.filter
def vn_percent(value: Any, decimals: int = 1) -> str:
    """5.4 → "5,4%"."""
    if value in (None, ""):
        return ""
    return text.format_percent(value, decimals=int(decimals))


@register.filter
def vn_share(value: Any, decimals: int = 1) -> str:
    """A ratio shown as a percentage: 1.4667 → "146,7%", 0.523 → "52,3%"."""
    if value in (None, ""):
        return ""
    return text.format_percent(float(value) * 100, decimals=int(decimals))


@register.filter
def vn_date(value: Any) -> str:
    """date → "23/11/2023"."""
    return text.format_date(value)


@register.filter
def vn_weekday(value: Any) -> str:
    """datetime → "Thứ năm, 23/11/2023 - 19:55"."""
    if not value:
        return ""
    return text.format_weekday_datetime(value)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (pagination, sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def vn_money(value: Any) -> str:
    """An amount in đồng (an integer) → "5.000 đ"."""
    if value in (None, ""):
        return ""
    return text.format_money(value)
