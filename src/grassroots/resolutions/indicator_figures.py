"""The review of a congress resolution's indicators as a figure of the registry
(:mod:`grassroots.core.figures`): ``indicators``, with the parameters ``resolution`` (its code)
and ``through`` (the last year reviewed). The organisation is the resolution's
(``organization_of``), so ``grassroots report indicators --resolution DB-112-DH3 --through 2022
--json`` and ``GET /api/v1/reports/indicators?resolution=DB-112-DH3&through=2022`` need no
``--org``. Imported by ``resolutions.figures`` (the module the registry discovers).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from grassroots.core import figures as registry
from grassroots.core.errors import NotFound
from grassroots.members.figures import admitted_events
from grassroots.organizations.models import Organization
from grassroots.ratings.models import GOOD_OR_BETTER, PeriodKind, Subject
from grassroots.ratings.selectors import ratings_under
from grassroots.ratings.services import parse_period
from grassroots.resolutions.indicator_models import IndicatorSource, IndicatorStatus
from grassroots.resolutions.indicator_selectors import (
    display_number,
    resolution_by_code,
    review,
    review_json,
)

STATUS_TEXT = {s.value: s.label for s in IndicatorStatus}


def indicators_report(*, organization: Organization, resolution: str, through: int) -> dict:
    """INTERCHANGE.md's object for the review of ``resolution`` through ``through``."""
    found = resolution_by_code(resolution)
    if found.organization_id != organization.pk:
        raise NotFound(f"Không tìm thấy nghị quyết có mã {resolution}.", code="unknown_resolution")
    try:
        return review_json(review(found, through))
    except registry.InvalidParameter:
        raise
    except ValueError as exc:  # pragma: no cover - a source outside the choices
        raise NotFound(str(exc)) from exc


def _organization_of(values) -> Organization:
    return resolution_by_code(values["resolution"]).organization


def records(
    *, organization: Organization, path: str, resolution: str, through: int
) -> registry.Records:
    """``values.<indicator>.<year>``: the records behind a figure-sourced value — the admitted
    events of the year (``admissions``) or the organisations' ratings good or better
    (``good_or_better_share``, whose share is these over all the year's ratings)."""
    found = resolution_by_code(resolution)
    parts = path.split(".")
    if (
        found.organization_id != organization.pk
        or len(parts) != 3
        or parts[0] != "values"
        or not parts[2].isdigit()
        or not found.term_from <= int(parts[2]) <= through
    ):
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    indicator = found.indicators.filter(code=parts[1]).first()
    year = int(parts[2])
    if indicator is None or indicator.source == IndicatorSource.MANUAL:
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    if indicator.source == IndicatorSource.ADMISSIONS:
        events = admitted_events(
            organization=organization, start=date(year, 1, 1), end=date(year, 12, 31)
        )
        return registry.Records("events", events)
    ratings = ratings_under(
        organization=organization,
        period=parse_period(PeriodKind.YEAR, str(year)),
        subject=Subject.ORGANIZATION,
    )
    return registry.Records("ratings", ratings.filter(level__in=GOOD_OR_BETTER))


def _title(path: str) -> str:
    parts = path.split(".")
    if len(parts) == 3:
        return f"Chỉ tiêu {parts[1]}, năm {parts[2]}"
    return "Đánh giá thực hiện chỉ tiêu nghị quyết"


def _text(result: dict[str, Any]) -> str:
    """A readable table of the review (command line without ``--json``)."""
    head = (
        f"Nghị quyết {result['resolution']} (tổ chức {result['organization']}, "
        f"{result['term_from']}–{result['term_to']}), đánh giá đến hết năm {result['through']}: "
        f"{result['met_or_exceeded']}/{result['total']} chỉ tiêu đạt và vượt."
    )
    rows = [["Chỉ tiêu", "Chỉ tiêu đề ra", "Thực hiện", "Phải đạt", "%", "Đánh giá"]]
    for item in result["indicators"]:
        rows.append(
            [
                f"{item['code']}. {item['name']}",
                display_number(item["target"]),
                "" if item["actual"] is None else display_number(item["actual"]),
                display_number(item["expected"]),
                "" if item["percent"] is None else display_number(item["percent"], 1),
                STATUS_TEXT[item["status"]],
            ]
        )
    return head + "\n\n" + registry.text_table(rows)


INDICATORS = registry.register(
    registry.Figure(
        name="indicators",
        label="Đánh giá thực hiện các chỉ tiêu nghị quyết đại hội",
        definition=(
            "Với nghị quyết của tổ chức O có chỉ tiêu các năm Y1..Y2, đánh giá đến hết năm Y "
            "dùng các năm Y1..Y (n = Y − Y1 + 1). Chỉ tiêu cả nhiệm kỳ (total): thực hiện = tổng "
            "n năm, phải đạt = chỉ tiêu × n / (Y2 − Y1 + 1); chỉ tiêu hằng năm (annual): thực "
            "hiện = bình quân n năm, phải đạt = chỉ tiêu; mức phải đạt (level): thực hiện = số "
            "năm Y. Thiếu số liệu một năm: chưa đủ số liệu (no_data). Tỷ số = thực hiện / phải "
            "đạt (càng cao càng tốt) hoặc phải đạt / thực hiện (càng thấp càng tốt; thực hiện "
            "bằng 0 là vượt); phần trăm = (tỷ số − 1) × 100 làm tròn một chữ số thập phân; "
            "vượt khi lớn hơn 0, đạt khi bằng 0, không đạt khi nhỏ hơn 0."
            "\n\n"
            "Số kết nạp (admissions) và tỷ lệ tổ chức đảng hoàn thành tốt nhiệm vụ trở lên "
            "(good_or_better_share) tính trực tiếp từ sổ đảng viên và kết quả xếp loại của cây "
            "tổ chức O từng năm."
        ),
        params=(
            registry.Param("resolution", "resolution", "code", "mã nghị quyết, ví dụ DB-112-DH3"),
            registry.Param("through", "through", "year", "đánh giá đến hết năm"),
        ),
        compute=indicators_report,
        records=records,
        title=_title,
        text=_text,
        drill_paths=lambda result: [],
        module=__name__,
        organization_of=_organization_of,
    )
)
