"""The statistics figures of DOMAIN.md ("Figures — exact definitions"), one function each, and
their declarations in the figure registry (:mod:`grassroots.core.figures`): ``coverage``,
``members``, ``movements`` and ``structure``; ``admissions`` is declared by the members app
(:mod:`grassroots.members.figures`), the party-development and rating figures by their apps.

Every figure is a few aggregate queries over the derived tables (membership spans, closure tables
with validity), whatever the size of the registry. Pages, the API and the ``report`` command read
the figures through the registry; the record sets they count live in
:mod:`grassroots.statistics.selectors` (the drill-down lists the same sets).

The report functions :func:`coverage` and :func:`admissions` take an :class:`Organization` or its
code. With a ``user``, an organisation outside the user's scope raises
:class:`~grassroots.core.errors.NotFound`; without one (the command line) the whole database is
visible.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db.models import Case, Count, Q, QuerySet, Value, When

from grassroots.core import charts
from grassroots.core import figures as registry
from grassroots.core.errors import NotFound
from grassroots.core.prepared import Prepared, aggregating
from grassroots.core.text import format_date, format_number
from grassroots.members import figures as member_figures
from grassroots.members import tally
from grassroots.members.models import LeftReason
from grassroots.organizations.models import Organization
from grassroots.organizations.selectors import attached_place_id, organization_by_code
from grassroots.places.models import PlaceKind
from grassroots.statistics import dashboard, definitions, selectors

#: One implementation, in the members app (admissions are member events).
admissions_by_year = member_figures.admissions_by_year


def _members_by_status(organization, day) -> QuerySet:
    return aggregating(
        selectors.member_spans_on(organization=organization, day=day),
        **{
            name: Count("member_id", distinct=True, filter=q)
            for name, q in selectors.STATUS_CONDITIONS.items()
        },
    )


def _cells(organization, day) -> QuerySet:
    return aggregating(
        selectors.cell_versions_on(organization=organization, day=day), cells=Count("pk")
    )


def _places_by_kind(organization, day, place=None) -> QuerySet:
    return (
        selectors.area_place_versions_on(organization=organization, day=day, place=place)
        .order_by()
        .values("kind")
        .annotate(
            **{
                name: Count("pk", filter=condition)
                for name, condition in selectors.PLACE_CONDITIONS.items()
            }
        )
    )


#: Building these querysets costs more than running them for a small subtree: they are
#: compiled once and run with each organisation and date (:mod:`grassroots.core.prepared`).
ON_DAY = {"organization": int, "day": date}
_MEMBERS_BY_STATUS = Prepared(_members_by_status, **ON_DAY)
_CELLS = Prepared(_cells, **ON_DAY)
#: By the place attached to the organisation (the planner sees how large its area is).
_PLACES_IN_AREA = Prepared(
    lambda place, day: _places_by_kind(None, day, place=place), place=int, day=date
)
#: Cells and places as one statement, for the coverage report of a committee.
_CELLS_AND_PLACES = Prepared(
    lambda organization, place, day: (
        _cells(organization, day),
        _places_by_kind(None, day, place=place),
    ),
    organization=int,
    place=int,
    day=date,
)
#: The three as one statement, for the coverage report.
_COVERAGE = Prepared(
    lambda organization, day: (
        _members_by_status(organization, day),
        _cells(organization, day),
        _places_by_kind(organization, day),
    ),
    **ON_DAY,
)


def members_by_status(*, organization: Organization, day: date) -> dict[str, int]:
    """``members.official``, ``members.probationary``: members with that status on D whose
    organisation on D is in Subtree(O, D). ``members.exempted``: members of either status in
    Subtree(O, D) who are exempted on D."""
    tallied = tally.members_on(organization, day)  # a committee's: from its tally
    if tallied is not None:
        return tallied
    return _MEMBERS_BY_STATUS.one(organization=organization, day=day)


def cells(*, organization: Organization, day: date) -> int:
    """``cells``: organisations of kind ``cell`` or ``grassroots_cell`` valid on D in
    Subtree(O, D)."""
    return _CELLS.one(organization=organization, day=day)["cells"]


def places_by_kind(*, organization: Organization, day: date) -> dict[str, dict[str, int]]:
    """For each kind (village, residential group, school, health station):

    - ``total``: places of that kind valid on D in Area(O, D) — the place attached to O's
      version valid on D and every place whose chain of parents on D reaches it;
    - ``without_cell``: of those, places to which no organisation of kind ``cell``,
      ``grassroots_cell`` or ``grassroots_committee`` valid on D is attached (anywhere in the
      tree);
    - ``without_members``: places that no member (probationary or official) has as their place
      on D;
    - ``below_three_official``: places with fewer than 3 official members on D.
    """
    place = attached_place_id(organization, day)
    rows = [] if place is None else _PLACES_IN_AREA.rows(place=place, day=day)
    return _by_kind(rows)


def _by_kind(rows: list[dict]) -> dict[str, dict[str, int]]:
    by_kind = {row["kind"]: row for row in rows if row["kind"] is not None}
    return {
        kind: {name: by_kind.get(kind, {}).get(name, 0) for name in selectors.PLACE_CONDITIONS}
        for kind in selectors.COVERAGE_PLACE_KINDS
    }


def members_structure(*, organization: Organization, day: date) -> dict[str, dict[str, int]]:
    """Members (probationary or official) on D in Subtree(O, D) counted five ways, in one pass
    over their spans (one aggregate grouped by the five values, summed here):

    - ``gender``, ``ethnicity``, ``education``: by the profile field (blank: not recorded),
      largest groups first;
    - ``age``: by age in full years on D (under 30, 30–45, 46–60, over 60; every band, zeros
      included; a member without a birth date in none);
    - ``party_age``: by party age on D in full years (the time since admission minus gaps in
      membership: under 10, 10–19, 20–29, 30 and more; every band).

    A root of the tree (the country's committee) reads them from its tally
    (``members.StructureTally``)."""
    fields = {name: f"member__{field}" for name, field in selectors.PROFILE_BREAKDOWNS.items()}
    counted = tally.structure_on(organization, day)  # a root's: from its tally
    if counted is None:
        counted = _structure_counted(organization, day, fields)
    result: dict[str, dict[str, int]] = {
        name: dict(sorted(counted[name].items(), key=lambda item: (-item[1], item[0])))
        for name in fields
    }
    for name, bands in (("age", selectors.AGE_BANDS), ("party_age", selectors.PARTY_AGE_BANDS)):
        result[name] = {key: counted[name][key] for key, *_rest in bands}
    return result


def _structure_counted(
    organization: Organization, day: date, fields: dict[str, str]
) -> dict[str, Counter[str]]:
    """The five counts of :func:`members_structure` from the spans, in one grouped pass."""

    def band(conditions: dict[str, Q]) -> Case:
        return Case(*(When(q, then=Value(key)) for key, q in conditions.items()), default=Value(""))

    rows = (
        selectors.member_spans_on(organization=organization, day=day)
        .order_by()
        .annotate(
            age=band(selectors.age_band_conditions(day)),
            party_age=band(selectors.party_age_band_conditions(day)),
        )
        .values(*fields.values(), "age", "party_age")
        .annotate(n=Count("member_id", distinct=True))
    )
    counted: dict[str, Counter[str]] = {name: Counter() for name in (*fields, "age", "party_age")}
    for row in rows:
        for name in counted:
            counted[name][row[fields.get(name, name)]] += row["n"]
    return counted


def members_by_profile(*, organization: Organization, day: date, dimension: str) -> dict[str, int]:
    """Members on D in Subtree(O, D) by a profile field (see :func:`members_structure`)."""
    return members_structure(organization=organization, day=day)[dimension]


def members_by_age_band(*, organization: Organization, day: date) -> dict[str, int]:
    """Members on D in Subtree(O, D) by age band (see :func:`members_structure`)."""
    return members_structure(organization=organization, day=day)["age"]


def members_by_party_age_band(*, organization: Organization, day: date) -> dict[str, int]:
    """Members on D in Subtree(O, D) by party-age band (see :func:`members_structure`)."""
    return members_structure(organization=organization, day=day)["party_age"]


def movements(*, organization: Organization, start: date, end: date) -> dict:
    """Member movements over D1..D2 (inclusive), from effective events dated in the period,
    each judged against Subtree(O, event date):

    - ``admitted``: as :func:`admissions`; ``joined``: arrivals from outside the dataset into an
      organisation of the subtree;
    - ``confirmed``: confirmations of members whose organisation is in the subtree;
    - ``moved_in`` / ``moved_out``: internal moves from outside the subtree into it / out of it;
    - ``left``: departures from the subtree, by reason (transferred out, died, removed…).
    """
    counted = tally.movements(organization, start, end)  # a committee's: from its tally
    if counted is None:
        conditions = selectors.movement_conditions()
        events = selectors.movement_events_annotated(
            organization=organization, start=start, end=end
        )
        counted = events.aggregate(
            **{name.replace(".", "_"): Count("pk", filter=q) for name, q in conditions.items()}
        )
    result: dict = {name: counted[name] for name in selectors.MOVEMENTS}
    result["left"] = {reason: counted[f"left_{reason}"] for reason in LeftReason.values}
    return result


# --- The report objects (INTERCHANGE.md, "Figures on the command line") -----------------------


def _coverage(*, organization: Organization, day: date) -> dict:
    """The coverage report of O on D: members by status, cells, places by kind."""
    tallied = tally.members_on(organization, day)
    if tallied is None:
        rows = _COVERAGE.rows(organization=organization, day=day)  # one statement
        members = {name: rows[0][name] for name in selectors.STATUS_CONDITIONS}
        cell_count, places = rows[0]["cells"], _by_kind(rows)
    else:  # a committee: its members from its tally, its places by the place it is attached to
        members = tallied
        place = attached_place_id(organization, day)
        if place is None:
            cell_count, places = cells(organization=organization, day=day), _by_kind([])
        else:
            rows = _CELLS_AND_PLACES.rows(organization=organization, place=place, day=day)
            cell_count, places = rows[0]["cells"], _by_kind(rows)
    return {
        "organization": organization.code,
        "as_of": day.isoformat(),
        "members": members,
        "cells": cell_count,
        "places": places,
    }


def coverage(*, organization: Organization | str, day: date, user=None) -> dict:
    """The ``coverage`` figure of O (an organisation or its code, within ``user``'s scope)."""
    org = organization_by_code(organization, user=user, on=day)
    return COVERAGE.compute_uncached(org, day=day)


def admissions(*, organization: Organization | str, start: date, end: date, user=None) -> dict:
    """The ``admissions`` figure of O (an organisation or its code, within ``user``'s scope)."""
    org = organization_by_code(organization, user=user, on=end)
    return member_figures.ADMISSIONS.compute_uncached(org, start=start, end=end)


def _members(*, organization: Organization, day: date) -> dict:
    return {
        "organization": organization.code,
        "as_of": day.isoformat(),
        **members_by_status(organization=organization, day=day),
    }


def _movements(*, organization: Organization, start: date, end: date) -> dict:
    return {
        "organization": organization.code,
        "from": start.isoformat(),
        "to": end.isoformat(),
        **movements(organization=organization, start=start, end=end),
    }


def _structure(*, organization: Organization, day: date) -> dict:
    structure = members_structure(organization=organization, day=day)
    return {
        "organization": organization.code,
        "as_of": day.isoformat(),
        **{
            name: structure[name]
            for name in ("gender", "age", "party_age", "ethnicity", "education")
        },
    }


# --- The records behind each number (drill-down) -----------------------------------------------


def _unknown() -> NotFound:
    return NotFound("Không có chỉ tiêu này.", code="unknown_figure")


def _member_records(organization: Organization, day: date, status: str) -> registry.Records:
    if status not in selectors.STATUS_CONDITIONS:
        raise _unknown()
    spans = selectors.member_spans_on(organization=organization, day=day)
    return registry.Records(
        "members", selectors.members_of(spans.filter(selectors.STATUS_CONDITIONS[status]))
    )


def _coverage_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    head, _, rest = path.partition(".")
    if head == "members":
        return _member_records(organization, day, rest)
    if path == "cells":
        return registry.Records(
            "organizations", selectors.cell_versions_on(organization=organization, day=day)
        )
    kind, _, condition = rest.partition(".")
    if (
        head == "places"
        and kind in selectors.COVERAGE_PLACE_KINDS
        and condition in selectors.PLACE_CONDITIONS
    ):
        places = selectors.area_place_versions_on(
            organization=organization, day=day, with_counts=True
        )
        return registry.Records(
            "places", places.filter(selectors.PLACE_CONDITIONS[condition], kind=kind)
        )
    raise _unknown()


def _members_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    return _member_records(organization, day, path)


def _movements_records(
    *, organization: Organization, path: str, start: date, end: date
) -> registry.Records:
    return registry.Records(
        "events",
        selectors.movement_events(organization=organization, start=start, end=end, movement=path),
    )


def _structure_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    dimension, dot, value = path.partition(".")
    spans = selectors.member_spans_on(organization=organization, day=day)
    if not dot:
        raise _unknown()
    bands = {
        "age": selectors.age_band_conditions(day),
        "party_age": selectors.party_age_band_conditions(day),
    }
    if dimension in selectors.PROFILE_BREAKDOWNS:
        spans = spans.filter(**{f"member__{selectors.PROFILE_BREAKDOWNS[dimension]}": value})
    elif value in bands.get(dimension, {}):
        spans = spans.filter(bands[dimension][value])
    else:
        raise _unknown()
    return registry.Records("members", selectors.members_of(spans))


# --- Titles and readable tables ----------------------------------------------------------------


def _coverage_title(path: str) -> str:
    head, _, rest = path.partition(".")
    if head == "members":
        return definitions.MEMBER_LABELS.get(rest, "Đảng viên")
    if head == "places":
        kind, _, condition = rest.partition(".")
        label = PlaceKind(kind).label if kind in selectors.COVERAGE_PLACE_KINDS else "Địa bàn"
        return f"{label}: {definitions.PLACE_LABELS.get(condition, '').lower()}"
    return "Chi bộ"


def _structure_title(path: str) -> str:
    dimension, _, value = path.partition(".")
    label = definitions.BREAKDOWN_LABELS.get(dimension, "Cơ cấu đảng viên")
    return f"{label}: {definitions.breakdown_value_label(dimension, value)}"


def _coverage_text(result: dict) -> str:
    day = date.fromisoformat(result["as_of"])
    head = [f"Tổ chức đảng {result['organization']}, số liệu tại ngày {format_date(day)}", ""]
    members = [
        [label, format_number(result["members"][key])]
        for key, label in definitions.MEMBER_LABELS.items()
    ]
    members.append(["Số chi bộ", format_number(result["cells"])])
    places = [["Địa bàn", *definitions.PLACE_LABELS.values()]]
    for kind, row in result["places"].items():
        places.append(
            [PlaceKind(kind).label, *(format_number(row[k]) for k in definitions.PLACE_LABELS)]
        )
    return "\n".join([*head, registry.text_table(members), "", registry.text_table(places)])


# --- The declarations --------------------------------------------------------------------------

COVERAGE = registry.register(
    registry.Figure(
        name="coverage",
        label="Đảng viên, chi bộ và địa bàn",
        definition="\n\n".join(
            definitions.DEFINITION_TEXTS[key]
            for key in (
                "members",
                "exempted",
                "cells",
                "places",
                "without_cell",
                "without_members",
                "below_three_official",
            )
        ),
        params=registry.ON_DAY,
        compute=_coverage,
        records=_coverage_records,
        title=_coverage_title,
        text=_coverage_text,
        module=__name__,
    )
)
MEMBERS = registry.register(
    registry.Figure(
        name="members",
        label="Đảng viên chính thức, dự bị, được miễn sinh hoạt",
        definition="\n\n".join(
            definitions.DEFINITION_TEXTS[key] for key in ("members", "exempted")
        ),
        params=registry.ON_DAY,
        compute=_members,
        records=_members_records,
        title=lambda path: definitions.MEMBER_LABELS.get(path, "Đảng viên"),
        module=__name__,
    )
)
MOVEMENTS = registry.register(
    registry.Figure(
        name="movements",
        label="Biến động đảng viên trong kỳ",
        definition=definitions.DEFINITION_TEXTS["movements"],
        params=registry.PERIOD,
        compute=_movements,
        records=_movements_records,
        title=lambda path: definitions.MOVEMENT_LABELS.get(path, "Biến động đảng viên"),
        module=__name__,
    )
)
STRUCTURE = registry.register(
    registry.Figure(
        name="breakdown",
        label="Cơ cấu đảng viên",
        definition="\n\n".join(
            definitions.DEFINITION_TEXTS[key] for key in ("profile", "age", "party_age")
        ),
        params=registry.ON_DAY,
        compute=_structure,
        records=_structure_records,
        title=_structure_title,
        module=__name__,
    )
)


# --- The dashboard's cards ---------------------------------------------------------------------

OFFICIAL_COLOUR, PROBATIONARY_COLOUR, ADMITTED_COLOUR = "#1b7f3b", "#e0a100", "#0b5cad"


def _coverage_card(*, organization: Organization, day: date) -> dict:
    """Members by status, cells and places by kind on ``day``; movements since 1 January."""
    numbers = dashboard.numbers("coverage", organization, day=day)
    start = date(day.year, 1, 1)
    moves = dashboard.numbers("movements", organization, start=start, end=day, as_of=day)
    return {
        "members": [
            (label, numbers["members"][key]) for key, label in definitions.MEMBER_LABELS.items()
        ],
        "cells": numbers["cells"],
        "place_columns": list(definitions.PLACE_LABELS.values()),
        "places": [
            (PlaceKind(kind).label, [row[name] for name in definitions.PLACE_LABELS])
            for kind, row in numbers["places"].items()
        ],
        "movement_start": start,
        "movements": [
            (label, moves["left"][name[5:]] if name.startswith("left.") else moves[name])
            for name, label in definitions.MOVEMENT_LABELS.items()
        ],
    }


def _structure_card(*, organization: Organization, day: date) -> dict:
    """The members on ``day`` by gender, age, party age, ethnicity and education."""
    numbers = dashboard.numbers("breakdown", organization, day=day)
    return {
        "breakdowns": [
            (
                label,
                [
                    (definitions.breakdown_value_label(dimension, key), number)
                    for key, number in numbers[dimension].items()
                ],
            )
            for dimension, label in definitions.BREAKDOWN_LABELS.items()
        ]
    }


def _history_card(*, organization: Organization, day: date) -> dict:
    """Members on 1 January of each year and admissions per year: a table and two charts."""
    start = dashboard.history_start(organization, day)
    admitted = dashboard.numbers("admissions", organization, start=start, end=day, as_of=day)
    rows = []
    for year in range(start.year, day.year + 1):
        members = dashboard.numbers("members", organization, day=date(year, 1, 1))
        rows.append(
            {
                "year": year,
                "official": members["official"],
                "probationary": members["probationary"],
                "admitted": admitted["by_year"][str(year)],
            }
        )
    labels = [str(row["year"]) for row in rows]

    def series(name: str, key: str, colour: str) -> charts.Series:
        return charts.Series(name, [row[key].value for row in rows], colour)

    return {
        "history_start": start,
        "history": rows,
        "admitted_total": admitted["admitted"],
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


registry.register_card(
    registry.Card("coverage", "statistics/cards/coverage.html", _coverage_card, order=10)
)
registry.register_card(
    registry.Card("structure", "statistics/cards/structure.html", _structure_card, order=20)
)
registry.register_card(
    registry.Card("history", "statistics/cards/history.html", _history_card, order=30)
)
