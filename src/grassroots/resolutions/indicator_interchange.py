"""The optional files of the interchange format for congress resolutions (INTERCHANGE.md,
"Resolutions and indicators"): ``resolutions.csv``, ``indicators.csv`` and
``indicator_values.csv``.

Imported after the registry's own files, inside the import's write transaction, row by row
through ``resolutions.indicator_services`` (every rule of the pages applies); any problem is
reported as ``file:line: column: message`` and rolls the whole import back. A row equal to what is
stored is skipped, so importing twice changes nothing; a row that differs from a stored resolution
or indicator is a problem (the package does not silently rewrite a resolution), a differing value
corrects it (audited, as on the page).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from grassroots.core.errors import NotFound, RuleError
from grassroots.core.temporal import parse_date
from grassroots.organizations.models import Organization
from grassroots.organizations.selectors import scope_organization_ids
from grassroots.resolutions import indicator_services as services
from grassroots.resolutions.indicator_models import (
    Indicator,
    IndicatorSource,
    IndicatorValue,
    Resolution,
)

RESOLUTIONS, INDICATORS, VALUES = "resolutions.csv", "indicators.csv", "indicator_values.csv"

COLUMNS: dict[str, tuple[str, ...]] = {
    RESOLUTIONS: (
        "code",
        "organization_code",
        "title",
        "number",
        "adopted",
        "term_from",
        "term_to",
    ),
    INDICATORS: (
        "resolution_code",
        "code",
        "name",
        "unit",
        "direction",
        "method",
        "target",
        "source",
    ),
    VALUES: ("resolution_code", "indicator_code", "year", "value", "note"),
}
REQUIRED: dict[str, frozenset[str]] = {
    RESOLUTIONS: frozenset({"code", "organization_code", "title", "term_from", "term_to"}),
    INDICATORS: frozenset({"resolution_code", "code", "name", "method", "target"}),
    VALUES: frozenset({"resolution_code", "indicator_code", "year", "value"}),
}


class _Rows:
    """Problems as ``(file, line, column, message)`` tuples, and the counts."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, int, str, str]] = []
        self.warnings: list[tuple[str, int, str, str]] = []
        self.created: Counter = Counter()
        self.skipped: Counter = Counter()

    def error(self, file: str, line: int, column: str, message: str) -> None:
        self.problems.append((file, line, column, message))


def _message(exc: RuleError) -> str:
    return " ".join(exc.messages)


def _year(out: _Rows, file: str, line: int, row: dict, column: str) -> int | None:
    text = (row.get(column) or "").strip()
    if not text.isdigit() or not services.MIN_YEAR <= int(text) <= services.MAX_YEAR:
        out.error(file, line, column, f"năm không hợp lệ: '{text}'.")
        return None
    return int(text)


def _decimal_text(value: Decimal) -> str:
    """A stored decimal without trailing zeros (``812.4``, ``1500``)."""
    text = format(value.normalize(), "f")
    return text


def import_rows(tables: dict[str, list[tuple[int, dict]]], *, acting_user) -> _Rows:
    """Import the three files (``{file: [(line, row)]}``); call inside a transaction and roll it
    back when ``problems`` is not empty."""
    out = _Rows()
    ids = scope_organization_ids(acting_user, "change")
    scope = None if ids is None else set(ids)
    _resolutions(out, tables.get(RESOLUTIONS, []), acting_user, scope)
    _indicators(out, tables.get(INDICATORS, []), acting_user)
    _values(out, tables.get(VALUES, []), acting_user)
    return out


def _clean(row: dict) -> dict[str, str]:
    return {k: (v or "").strip() for k, v in row.items()}


def _resolution_for(out: _Rows, file: str, line: int, code: str, user) -> Resolution | None:
    found = Resolution.objects.visible_to(user).filter(code=code).first() if code else None
    if found is None:
        out.error(file, line, "resolution_code", f"không tìm thấy nghị quyết mã {code}.")
    return found


def _resolutions(out: _Rows, rows, user, scope) -> None:
    for line, raw in rows:
        row = _clean(raw)
        code = row.get("code", "")
        org_code = row.get("organization_code", "")
        org = Organization.objects.visible_to(user).filter(code=org_code).first()
        if org is None:
            out.error(
                RESOLUTIONS, line, "organization_code", f"không tìm thấy tổ chức mã {org_code}."
            )
        elif scope is not None and org.pk not in scope:
            out.error(
                RESOLUTIONS,
                line,
                "organization_code",
                f"Tổ chức {org_code} nằm ngoài phạm vi của bạn.",
            )
            org = None
        term_from = _year(out, RESOLUTIONS, line, row, "term_from")
        term_to = _year(out, RESOLUTIONS, line, row, "term_to")
        adopted = None
        if row.get("adopted"):
            adopted = parse_date(row["adopted"])
            if adopted is None:
                out.error(
                    RESOLUTIONS,
                    line,
                    "adopted",
                    f"ngày không hợp lệ: '{row['adopted']}' (cần YYYY-MM-DD).",
                )
                continue
        if org is None or term_from is None or term_to is None:
            continue
        data: dict[str, Any] = {
            "title": row.get("title", ""),
            "number": row.get("number", ""),
            "adopted": adopted,
            "term_from": term_from,
            "term_to": term_to,
        }
        stored = Resolution.objects.filter(code=code).first()
        if stored is not None:
            same = stored.organization_id == org.pk and all(
                getattr(stored, k) == v for k, v in data.items()
            )
            if same:
                out.skipped["resolutions"] += 1
            else:
                out.error(
                    RESOLUTIONS,
                    line,
                    "code",
                    f"Đã có nghị quyết mã {code} với nội dung khác (sửa trên trang nghị quyết).",
                )
            continue
        try:
            services.resolution_create(acting_user=user, organization=org, code=code, **data)
            out.created["resolutions"] += 1
        except RuleError as exc:
            out.error(RESOLUTIONS, line, "code", _message(exc))
        except NotFound:
            out.error(
                RESOLUTIONS,
                line,
                "organization_code",
                f"Tổ chức {org_code} nằm ngoài phạm vi của bạn.",
            )


COLUMN_OF_CODE = {
    "direction": "direction",
    "method": "method",
    "source": "source",
    "not_a_number": "target",
    "out_of_range": "target",
    "too_precise": "target",
    "name": "name",
}


def _indicators(out: _Rows, rows, user) -> None:
    for line, raw in rows:
        row = _clean(raw)
        resolution = _resolution_for(out, INDICATORS, line, row.get("resolution_code", ""), user)
        if resolution is None:
            continue
        data: dict[str, Any] = {
            "name": row.get("name", ""),
            "unit": row.get("unit", ""),
            "direction": row.get("direction") or "at_least",
            "method": row.get("method", ""),
            "target": row.get("target", ""),
            "source": row.get("source") or IndicatorSource.MANUAL,
        }
        code = row.get("code", "")
        stored = resolution.indicators.filter(code=code).first()
        try:
            if stored is not None:
                fields = services._indicator_fields(**data)
                if all(getattr(stored, k) == v for k, v in fields.items()):
                    out.skipped["indicators"] += 1
                else:
                    out.error(
                        INDICATORS,
                        line,
                        "code",
                        f"Đã có chỉ tiêu mã {code} của nghị quyết {resolution.code} với nội dung "
                        "khác.",
                    )
                continue
            services.indicator_create(acting_user=user, resolution=resolution, code=code, **data)
            out.created["indicators"] += 1
        except RuleError as exc:
            out.error(INDICATORS, line, COLUMN_OF_CODE.get(exc.code or "", "code"), _message(exc))
        except NotFound:
            out.error(INDICATORS, line, "resolution_code", "Nghị quyết nằm ngoài phạm vi của bạn.")


def _values(out: _Rows, rows, user) -> None:
    seen: dict[tuple[str, str, int], int] = {}
    for line, raw in rows:
        row = _clean(raw)
        resolution = _resolution_for(out, VALUES, line, row.get("resolution_code", ""), user)
        year = _year(out, VALUES, line, row, "year")
        if resolution is None or year is None:
            continue
        code = row.get("indicator_code", "")
        indicator = resolution.indicators.filter(code=code).first()
        if indicator is None:
            out.error(
                VALUES,
                line,
                "indicator_code",
                f"nghị quyết {resolution.code} không có chỉ tiêu mã {code}.",
            )
            continue
        key = (resolution.code, code, year)
        if key in seen:
            out.error(VALUES, line, "year", f"Trùng với dòng {seen[key]} (cùng chỉ tiêu và năm).")
            continue
        seen[key] = line
        try:
            _, changed = services.value_set(
                acting_user=user,
                indicator=indicator,
                year=year,
                value=row.get("value", ""),
                note=row.get("note", ""),
                document=_stored_document(indicator, year),
            )
            if changed:
                out.created["indicator_values"] += 1
            else:
                out.skipped["indicator_values"] += 1
        except RuleError as exc:
            column = "year" if exc.code == "year_outside_term" else "value"
            if exc.code == "computed_indicator":
                column = "indicator_code"
            out.error(VALUES, line, column, _message(exc))
        except NotFound:
            out.error(VALUES, line, "resolution_code", "Nghị quyết nằm ngoài phạm vi của bạn.")


def _stored_document(indicator: Indicator, year: int):
    """The source document a stored value keeps (the file has no column for it)."""
    stored = IndicatorValue.objects.filter(indicator=indicator, year=year).first()
    return stored.document if stored else None


def export_tables(organization_ids: set[int]) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The resolutions of the organisations ``organization_ids``, their indicators and the
    values of the manual ones; files without rows are left out."""
    resolutions = list(
        Resolution.objects.filter(organization_id__in=organization_ids)
        .select_related("organization")
        .order_by("code")
    )
    indicators = list(
        Indicator.objects.filter(resolution__in=resolutions)
        .select_related("resolution")
        .order_by("resolution__code", "position", "code")
    )
    values = (
        IndicatorValue.objects.filter(indicator__in=indicators)
        .select_related("indicator__resolution")
        .order_by("indicator__resolution__code", "indicator__position", "indicator__code", "year")
    )
    tables = {
        RESOLUTIONS: [
            [
                r.code,
                r.organization.code,
                r.title,
                r.number,
                r.adopted.isoformat() if r.adopted else "",
                str(r.term_from),
                str(r.term_to),
            ]
            for r in resolutions
        ],
        INDICATORS: [
            [
                i.resolution.code,
                i.code,
                i.name,
                i.unit,
                i.direction,
                i.method,
                _decimal_text(i.target),
                i.source,
            ]
            for i in indicators
        ],
        VALUES: [
            [
                v.indicator.resolution.code,
                v.indicator.code,
                str(v.year),
                _decimal_text(v.value),
                v.note,
            ]
            for v in values
        ],
    }
    return {name: (list(COLUMNS[name]), rows) for name, rows in tables.items() if rows}
