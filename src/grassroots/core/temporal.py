"""Valid-time primitives.

Every valid interval in Grassroots is half-open, ``[valid_from, valid_to)``, with ``valid_to`` NULL
meaning "still valid". A thing is valid on D iff ``valid_from <= D and (valid_to is null or
D < valid_to)``. :func:`valid_on` builds that filter; nobody writes it by hand.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Self, TypeVar

from django.db import models
from django.db.models import Q
from django.db.models.expressions import Combinable

OPEN_END = date.max  # stands for "open" when intervals are compared in Python


def valid_on(day: date | Combinable, prefix: str = "") -> Q:
    """The filter "valid on ``day``" (a date, or an expression such as ``OuterRef("date")``)
    for a model with ``valid_from``/``valid_to``.

    ``prefix`` reaches the fields through a relation, e.g. ``valid_on(d, "versions__")``.
    """
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def overlaps(start: date, end: date | None, prefix: str = "") -> Q:
    """The filter "valid at some day of ``[start, end)``"."""
    q = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": start})
    if end is not None:
        q &= Q(**{f"{prefix}valid_from__lt": end})
    return q


def is_valid_on(valid_from: date, valid_to: date | None, day: date) -> bool:
    """Python twin of :func:`valid_on` for objects already in memory."""
    return valid_from <= day and (valid_to is None or day < valid_to)


def intersect(
    a_from: date, a_to: date | None, b_from: date, b_to: date | None
) -> tuple[date, date | None] | None:
    """The intersection of two half-open intervals, or None when they do not meet."""
    start = max(a_from, b_from)
    end_a = a_to or OPEN_END
    end_b = b_to or OPEN_END
    end = min(end_a, end_b)
    if start >= end:
        return None
    return start, (None if end == OPEN_END else end)


#: The years a date typed or sent by someone may fall in; outside them it is a typo or a probe
#: (year 0, 0001-01-01), refused before it reaches a query.
MIN_YEAR = 1900
MAX_YEAR = 2200

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_VN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def in_year_range(day: date) -> bool:
    """Whether ``day`` falls in the years :data:`MIN_YEAR`..:data:`MAX_YEAR`."""
    return MIN_YEAR <= day.year <= MAX_YEAR


def parse_date(value: object) -> date | None:
    """A date from ISO ``YYYY-MM-DD`` or Vietnamese ``dd/mm/yyyy`` text (or a date), in the
    years :data:`MIN_YEAR`..:data:`MAX_YEAR`; None for anything else (``0``, ``2024-W01``,
    ``0001-01-01``, a number)."""
    if isinstance(value, date):
        return value if in_year_range(value) else None
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    try:
        if match := _VN_DATE.fullmatch(value):
            d, m, y = match.groups()
            parsed = date(int(y), int(m), int(d))
        elif _ISO_DATE.fullmatch(value):
            parsed = date.fromisoformat(value)
        else:
            return None
    except ValueError:
        return None
    return parsed if in_year_range(parsed) else None


_M = TypeVar("_M", bound=models.Model)


class ValidityQuerySet(models.QuerySet[_M]):
    """Queryset helpers shared by every model with ``valid_from``/``valid_to``."""

    def valid_on(self, day: date) -> Self:
        return self.filter(valid_on(day))

    def overlapping(self, start: date, end: date | None) -> Self:
        return self.filter(overlaps(start, end))


class ValidityMixin(models.Model):
    """Abstract half-open validity interval ``[valid_from, valid_to)``."""

    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến (không kể)", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="%(app_label)s_%(class)s_valid_interval",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu.",
            )
        ]

    def is_valid_on(self, day: date) -> bool:
        return is_valid_on(self.valid_from, self.valid_to, day)
