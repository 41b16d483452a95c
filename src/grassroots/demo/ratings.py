"""The demo's quality ratings, 2020–2024 (called by :func:`grassroots.demo.build.build_demo`).

Every party organisation under Đảng bộ huyện Nậm Nhùn (``DB-112``) on 31 December of each year
is rated, and so is every member of the cells of one commune committee (the demo viewer's,
``DU-03475``, when present; else the first). Consistent with the seed ("tổ chức Đảng hoàn thành tốt
nhiệm vụ trở lên vượt 13,5%"): the share of organisations rated good or better rises from 70% in
2020 to 85% in 2024 (+15 percentage points). Each organisation and member has a fixed
"strength" drawn from a seeded generator, so a unit good in one year stays good later; within
every group of similar units "excellent" stays within the 20% quota of 124-QĐ/TW.

The rows go through :func:`grassroots.ratings.services.ratings_import_rows`, the import path,
so every rule is checked. Deterministic: the same database gives the same ratings.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from grassroots.core.temporal import valid_on
from grassroots.members.models import MembershipSpan
from grassroots.organizations.models import Organization, OrganizationVersion
from grassroots.organizations.selectors import subtree_ids
from grassroots.ratings.services import ratings_import_rows

SEED = 366
DISTRICT = "DB-112"
MEMBER_COMMUNE = "DU-03475"
YEARS = range(2020, 2025)
#: Target share of organisations rated good or better, per year (2024 − 2020 = +15 points).
ORG_SHARE = {2020: 0.70, 2021: 0.74, 2022: 0.77, 2023: 0.81, 2024: 0.85}
MEMBER_SHARE = {2020: 0.80, 2021: 0.82, 2022: 0.85, 2023: 0.87, 2024: 0.90}


def _strength(code: str) -> float:
    return random.Random(f"{SEED}:{code}").random()


def _levels(units: list[tuple[str, tuple]], share: float) -> dict[str, str]:
    """Levels for ``units`` (``(code, group)``): the strongest ``share`` of them good or better;
    in each group the strongest sixth of those excellent (so excellent ≤ 20% of good); of the
    rest, the weakest in twenty not completed."""
    ranked = sorted(units, key=lambda u: (-_strength(u[0]), u[0]))
    good_count = round(len(ranked) * share)
    not_completed = len(ranked) // 20
    levels = {}
    for i, (code, _) in enumerate(ranked):
        if i < good_count:
            levels[code] = "good"
        elif i >= len(ranked) - not_completed:
            levels[code] = "not_completed"
        else:
            levels[code] = "completed"
    by_group: dict[tuple, list[str]] = defaultdict(list)
    for code, group in ranked:
        if levels[code] == "good":
            by_group[group].append(code)
    for codes in by_group.values():
        for code in codes[: len(codes) // 6]:
            levels[code] = "excellent"
    return levels


def _organizations(district: Organization, day: date) -> list[tuple[str, tuple]]:
    ids = subtree_ids(organization=district, day=day)
    versions = (
        OrganizationVersion.objects.filter(valid_on(day), organization_id__in=ids)
        .exclude(organization=district)
        .select_related("organization")
    )
    return [(v.organization.code, (v.parent_id, v.kind)) for v in versions]


def _members(commune: Organization, day: date) -> list[tuple[str, tuple]]:
    spans = MembershipSpan.objects.filter(
        valid_on(day), organization_id__in=subtree_ids(organization=commune, day=day)
    ).select_related("member")
    return [(s.member.code, (s.organization_id,)) for s in spans]


def build_ratings(*, acting_user) -> int:
    """Write the demo's ratings; returns how many were written (0 when they are there already,
    or without the district)."""
    district = Organization.objects.filter(code=DISTRICT).first()
    if district is None:
        return 0
    commune = Organization.objects.filter(code=MEMBER_COMMUNE).first()
    if commune is None:
        first = (
            OrganizationVersion.objects.filter(parent=district, kind="grassroots_committee")
            .order_by("organization__code")
            .first()
        )
        commune = first.organization if first else None
    rows: list[dict] = []
    for year in YEARS:
        day = date(year, 12, 31)
        org_levels = _levels(_organizations(district, day), ORG_SHARE[year])
        rows += [
            _row(year, "organization", code, level) for code, level in sorted(org_levels.items())
        ]
        if commune is not None:
            member_levels = _levels(_members(commune, day), MEMBER_SHARE[year])
            rows += [
                _row(year, "member", code, level) for code, level in sorted(member_levels.items())
            ]
    numbered = list(enumerate(rows, start=2))
    written, problems, _warnings = ratings_import_rows(
        acting_user=acting_user, rows=numbered, file_name="demo-ratings"
    )
    if problems:  # the demo is built from its own data: a problem is a bug
        raise RuntimeError("\n".join(problems[:20]))
    return written


def _row(year: int, subject: str, code: str, level: str) -> dict:
    return {
        "period": "year",
        "period_label": str(year),
        "subject": subject,
        "code": code,
        "level": level,
        "score": "",
        "note": "Dữ liệu mẫu",
    }
