"""The dashboard's content: every figure of one organisation on one day, each number paired with
the drill-down link to the records behind it, and the charts over the years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from grassroots.organizations.models import Organization
from grassroots.places.models import PlaceKind
from grassroots.statistics import charts, definitions, figures

#: The dashboard's history goes back at most this many years.
HISTORY_YEARS = 15
OFFICIAL_COLOUR, PROBATIONARY_COLOUR, ADMITTED_COLOUR = "#1b7f3b", "#e0a100", "#0b5cad"


@dataclass(frozen=True)
class Number:
    """A figure on a page and the drill-down list of the records behind it."""

    value: int
    url: str


def drill_url(figure: str, organization: Organization, **params) -> str:
    """The drill-down page of ``figure`` (names as in ``selectors.figure_records``); dates in
    ``params`` (``as_of``, ``from``, ``to``) are written as ISO dates."""
    query = {"figure": figure, "organization": organization.code}
    query.update({k: v.isoformat() if isinstance(v, date) else v for k, v in params.items()})
    return f"{reverse('statistics:drilldown')}?{urlencode(query)}"


def dashboard(*, organization: Organization, day: date) -> dict:
    """The figures of the dashboard of ``organization`` on ``day`` (template
    ``statistics/_figures.html``; the page itself names the organisation's version)."""
    return {
        **_coverage(organization, day),
        "breakdowns": _breakdowns(organization, day),
        **_movements(organization, day),
        **_history(organization, day),
    }


def _coverage(organization: Organization, day: date) -> dict:
    def number(value: int, figure: str) -> Number:
        return Number(value, drill_url(figure, organization, as_of=day))

    status = figures.members_by_status(organization=organization, day=day)
    places = figures.places_by_kind(organization=organization, day=day)
    return {
        "members": [
            (label, number(status[key], f"members.{key}"))
            for key, label in definitions.MEMBER_LABELS.items()
        ],
        "cells": number(figures.cells(organization=organization, day=day), "cells"),
        "place_columns": list(definitions.PLACE_LABELS.values()),
        "places": [
            (
                PlaceKind(kind).label,
                [
                    number(counts[name], f"places.{kind}.{name}")
                    for name in definitions.PLACE_LABELS
                ],
            )
            for kind, counts in places.items()
        ],
    }


def _breakdowns(organization: Organization, day: date) -> list[tuple[str, list]]:
    """The members on ``day`` by gender, age, party age, ethnicity and education."""
    on_day = {"organization": organization, "day": day}
    counted = {
        "gender": figures.members_by_profile(dimension="gender", **on_day),
        "age": figures.members_by_age_band(**on_day),
        "party_age": figures.members_by_party_age_band(**on_day),
        "ethnicity": figures.members_by_profile(dimension="ethnicity", **on_day),
        "education": figures.members_by_profile(dimension="education", **on_day),
    }
    return [
        (
            definitions.BREAKDOWN_LABELS[dimension],
            [
                (
                    definitions.breakdown_value_label(dimension, key),
                    Number(
                        n,
                        drill_url(f"breakdown.{dimension}", organization, as_of=day, value=key),
                    ),
                )
                for key, n in counts.items()
            ],
        )
        for dimension, counts in counted.items()
    ]


def _movements(organization: Organization, day: date) -> dict:
    """Movements from 1 January of ``day``'s year to ``day``."""
    start = date(day.year, 1, 1)
    moves = figures.movements(organization=organization, start=start, end=day)
    flat = {name: moves[name] for name in definitions.MOVEMENT_LABELS if "." not in name}
    flat.update({f"left.{reason}": n for reason, n in moves["left"].items()})
    period = {"from": start, "to": day, "as_of": day}
    return {
        "movement_start": start,
        "movements": [
            (
                definitions.MOVEMENT_LABELS[name],
                Number(n, drill_url(f"movements.{name}", organization, **period)),
            )
            for name, n in flat.items()
        ],
    }


def history_start(organization: Organization, day: date) -> date:
    """From the organisation's founding, at most ``HISTORY_YEARS`` years back from ``day``."""
    founded = organization.versions.order_by("valid_from").values_list("valid_from", flat=True)
    limit = date(day.year - HISTORY_YEARS + 1, 1, 1)
    return min(max(founded.first() or limit, limit), day)


def _history(organization: Organization, day: date) -> dict:
    """Members on 1 January of each year and admissions per year: a table and two charts."""
    start = history_start(organization, day)
    admitted = figures.admissions_by_year(organization=organization, start=start, end=day)
    rows = []
    for year in range(start.year, day.year + 1):
        january = date(year, 1, 1)
        status = figures.members_by_status(organization=organization, day=january)
        period = {"from": max(start, january), "to": min(date(year, 12, 31), day), "as_of": day}
        rows.append(
            {
                "year": year,
                **{
                    key: Number(
                        status[key], drill_url(f"members.{key}", organization, as_of=january)
                    )
                    for key in ("official", "probationary")
                },
                "admitted": Number(
                    admitted[str(year)], drill_url("admissions", organization, **period)
                ),
            }
        )
    labels = [str(row["year"]) for row in rows]

    def series(name: str, key: str, colour: str) -> charts.Series:
        return charts.Series(name, [row[key].value for row in rows], colour)

    whole = {"from": start, "to": day, "as_of": day}
    return {
        "history_start": start,
        "history": rows,
        "admitted_total": Number(
            sum(admitted.values()), drill_url("admissions", organization, **whole)
        ),
        "members_chart": charts.bar_chart(
            chart_id="members-chart",
            title="Số đảng viên ngày 1 tháng 1 hằng năm",
            labels=labels,
            series=[
                series("Chính thức", "official", OFFICIAL_COLOUR),
                series("Dự bị", "probationary", PROBATIONARY_COLOUR),
            ],
        ),
        "admissions_chart": charts.bar_chart(
            chart_id="admissions-chart",
            title="Số đảng viên được kết nạp hằng năm",
            labels=labels,
            series=[series("Kết nạp", "admitted", ADMITTED_COLOUR)],
        ),
    }
