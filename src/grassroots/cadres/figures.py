"""Cadre figures, each computed in exactly one function here and declared in the figure registry
(:mod:`grassroots.core.figures`): pages, API and ``grassroots report cadres-…`` read them.

- ``cadres-committee`` — the committee of O on D (size, women, young, ethnic minority and their
  shares, by education and political theory, ages at the congress that opened the term);
- ``cadres-secretaries`` — every cell of Subtree(O, D) and its secretary on D: cells with and
  without a secretary, and the secretaries' profile;
- ``cadres-rotations`` — rotations and reassignments that started in each year, by direction (the
  columns of Biểu 11-BTCTW) and by route between levels.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from grassroots.cadres import selectors
from grassroots.cadres.models import Direction, Rotation
from grassroots.cadres.services import organization_level
from grassroots.core import figures as registry
from grassroots.core.errors import NotFound
from grassroots.members.models import Member
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids

# --- The committee ----------------------------------------------------------------------------


def committee_report(*, organization: Organization, day: date) -> dict[str, Any]:
    """The committee of O on D (``selectors.committee_figures``) as the registry's object."""
    figures = selectors.committee_figures(organization=organization, day=day)
    return {"organization": organization.code, "as_of": day.isoformat(), **figures}


def _committee_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    """``size``: the committee's members on D; ``women``, ``young``, ``ethnic_minority``: those
    of them. (Non-members holding no party post are never on a committee.)"""
    path = registry.path_part(path, ("size", "women", "young", "ethnic_minority"))
    people = [
        p
        for p in selectors.committee_on(organization=organization, day=day)
        if isinstance(p, Member)
    ]
    figures = selectors.committee_figures(organization=organization, day=day)
    age_day = date.fromisoformat(figures["ages_on"])
    if path != "size":
        people = [p for p in people if selectors.cadre_profile(p, age_day, rating=False)[path]]
    return registry.Records("members", Member.objects.filter(pk__in=[p.pk for p in people]))


COMMITTEE_TITLES = {
    "size": "Cấp ủy viên",
    "women": "Cấp ủy viên nữ",
    "young": "Cấp ủy viên trẻ",
    "ethnic_minority": "Cấp ủy viên người dân tộc thiểu số",
}


def _committee_counted(result: dict):
    for key in COMMITTEE_TITLES:
        yield key, result[key]


registry.register(
    registry.Figure(
        name="cadres-committee",
        label="Cơ cấu cấp ủy",
        definition=(
            "Cấp ủy của O vào ngày D: những người giữ một chức danh thuộc Ban Chấp hành hoặc Ban "
            "Thường vụ của O vào ngày D (mỗi người một lần); số nữ, số cán bộ trẻ (dưới "
            "CADRES_YOUNG_AGE tuổi), số người dân tộc thiểu số (dân tộc đã ghi, khác Kinh) và tỷ "
            "lệ của họ; theo trình độ học vấn, lý luận chính trị; tuổi tính tại ngày bế mạc đại "
            "hội gần nhất (trước hoặc vào ngày D), không có đại hội thì tại ngày D."
        ),
        params=registry.ON_DAY,
        compute=committee_report,
        records=_committee_records,
        title=lambda path: COMMITTEE_TITLES.get(path, "Cấp ủy"),
        drill_paths=_committee_counted,
        module=__name__,
    )
)


# --- Cell secretaries -------------------------------------------------------------------------


def secretaries_report(*, organization: Organization, day: date) -> dict[str, Any]:
    """Cells of Subtree(O, D), those with a secretary on D and those without; the secretaries'
    profile (as ``selectors.group_figures``) and their latest ratings."""
    rows = selectors.cell_secretaries_on(organization=organization, day=day)
    profiles = [selectors.cadre_profile(r.appointment.holder, day) for r in rows if r.appointment]
    ratings: dict[str, int] = {}
    for p in profiles:
        label = p["rating"] or "chưa xếp loại"
        ratings[label] = ratings.get(label, 0) + 1
    group = selectors.group_figures(profiles)
    return {
        "organization": organization.code,
        "as_of": day.isoformat(),
        "cells": len(rows),
        "with_secretary": len(profiles),
        "without_secretary": len(rows) - len(profiles),
        "secretaries": {
            key: group[key]
            for key in (
                "women",
                "young",
                "ethnic_minority",
                "shares",
                "education",
                "political_theory",
                "age",
                "mean_age",
            )
        },
        "latest_rating": dict(sorted(ratings.items())),
    }


def _secretaries_records(*, organization: Organization, path: str, day: date) -> registry.Records:
    """``cells``: the cells; ``with_secretary`` / ``without_secretary``: those with / without a
    secretary on D."""
    path = registry.path_part(path, ("cells", "with_secretary", "without_secretary"))
    rows = selectors.cell_secretaries_on(organization=organization, day=day)
    if path == "with_secretary":
        rows = [r for r in rows if r.appointment]
    elif path == "without_secretary":
        rows = [r for r in rows if not r.appointment]
    return registry.Records(
        "organizations", OrganizationVersion.objects.filter(pk__in=[r.version.pk for r in rows])
    )


SECRETARY_TITLES = {
    "cells": "Chi bộ",
    "with_secretary": "Chi bộ có bí thư",
    "without_secretary": "Chi bộ chưa có bí thư",
}

registry.register(
    registry.Figure(
        name="cadres-secretaries",
        label="Bí thư chi bộ",
        definition=(
            "Các chi bộ (chi bộ, chi bộ cơ sở) thuộc O vào ngày D; số chi bộ có người giữ chức "
            "Bí thư vào ngày D và số chi bộ chưa có; với các bí thư: số nữ, trẻ, dân tộc thiểu "
            "số, theo trình độ học vấn, lý luận chính trị, nhóm tuổi (tuổi tròn tại ngày D) và "
            "mức xếp loại gần nhất (kỳ kết thúc trước hoặc vào ngày D)."
        ),
        params=registry.ON_DAY,
        compute=secretaries_report,
        records=_secretaries_records,
        title=lambda path: SECRETARY_TITLES.get(path, "Bí thư chi bộ"),
        drill_paths=lambda result: [(k, result[k]) for k in SECRETARY_TITLES],
        module=__name__,
    )
)


# --- Rotations (Biểu 11-BTCTW) ----------------------------------------------------------------


def rotations_under(organization: Organization, year: int):
    """Rotations that started in ``year`` from or to an organisation of Subtree(O) on their
    start day's year end."""
    under = subtree_ids(organization=organization, day=date(year, 12, 31))
    return Rotation.objects.filter(starts_on__year=year).filter(
        Q(from_organization_id__in=under) | Q(to_organization_id__in=under)
    )


def rotations_report(*, organization: Organization, year_from: int, year_to: int) -> dict[str, Any]:
    """Per year from ``year_from`` to ``year_to`` (every year, zeros included): rotations and
    reassignments started that year, by direction and by route between levels
    (``district→commune``…, each end's level on the start day)."""
    by_year: dict[str, Any] = {}
    for year in range(year_from, year_to + 1):
        rows = list(
            rotations_under(organization, year).select_related(
                "from_organization", "to_organization"
            )
        )
        routes: dict[str, int] = {}
        for r in rows:
            route = (
                f"{organization_level(r.from_organization, r.starts_on)}→"
                f"{organization_level(r.to_organization, r.starts_on)}"
            )
            routes[route] = routes.get(route, 0) + 1
        by_year[str(year)] = {
            "total": len(rows),
            "rotation": sum(r.kind == "rotation" for r in rows),
            "reassignment": sum(r.kind == "reassignment" for r in rows),
            "direction": {d: sum(r.direction == d for r in rows) for d in Direction.values},
            "routes": dict(sorted(routes.items())),
        }
    return {
        "organization": organization.code,
        "year_from": year_from,
        "year_to": year_to,
        "by_year": by_year,
    }


def _rotation_records(
    *, organization: Organization, path: str, year_from: int, year_to: int
) -> registry.Records:
    """``by_year.<year>.total``, ``.rotation``, ``.reassignment``, ``.direction.<d>``: the
    members rotated (one row per member, as the drill-down lists people)."""
    parts = path.split(".")
    if len(parts) < 3 or parts[0] != "by_year" or not parts[1].isdigit():
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    year = int(parts[1])
    if not year_from <= year <= year_to:
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    rows = rotations_under(organization, year)
    rest = parts[2:]
    if rest in (["rotation"], ["reassignment"]):
        rows = rows.filter(kind=rest[0])
    elif len(rest) == 2 and rest[0] == "direction" and rest[1] in Direction.values:
        rows = rows.filter(direction=rest[1])
    elif rest != ["total"]:
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    return registry.Records("members", Member.objects.filter(pk__in=rows.values("member_id")))


def _rotation_counted(result: dict):
    """Per year: the total, each kind and each direction (the routes are a breakdown of the
    total by level, not drilled)."""
    for year, row in result["by_year"].items():
        yield f"by_year.{year}.total", row["total"]
        yield f"by_year.{year}.rotation", row["rotation"]
        yield f"by_year.{year}.reassignment", row["reassignment"]
        for direction, n in row["direction"].items():
            yield f"by_year.{year}.direction.{direction}", n


DIRECTION_TITLES = dict(Direction.choices)

registry.register(
    registry.Figure(
        name="cadres-rotations",
        label="Luân chuyển, điều động cán bộ (Biểu 11-BTCTW)",
        definition=(
            "Mỗi năm: số đợt luân chuyển, điều động bắt đầu trong năm mà tổ chức đi hoặc đến "
            "thuộc O (vào ngày cuối năm); theo hình thức, theo hướng (từ trên xuống, từ dưới lên, "
            "giữa các địa phương, giữa các cơ quan cùng cấp) và theo tuyến giữa các cấp "
            "(cấp của tổ chức đi → cấp của tổ chức đến, vào ngày bắt đầu)."
        ),
        params=registry.YEARS,
        compute=rotations_report,
        records=_rotation_records,
        title=lambda path: (
            "Cán bộ luân chuyển, điều động năm " + path.split(".")[1]
            if path.count(".") >= 2
            else "Luân chuyển, điều động"
        ),
        drill_paths=_rotation_counted,
        module=__name__,
    )
)
