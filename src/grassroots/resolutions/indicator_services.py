"""Writing congress resolutions, their indicators and the yearly values of manual indicators.

Every write checks the acting user's scope on the resolution's organisation (``scope.require``),
is audited (the models are in ``ResolutionsConfig.audited``: a corrected value keeps its old
value in the audit log, the history) and, for an edit, is refused when based on an older version
(``core.locking``). A refused rule raises :class:`RuleError` with a Vietnamese message and writes
nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from grassroots.core import scope
from grassroots.core.errors import RuleError
from grassroots.core.locking import check_not_stale
from grassroots.organizations.models import Organization
from grassroots.resolutions.indicator_models import (
    Indicator,
    IndicatorDirection,
    IndicatorMethod,
    IndicatorSource,
    IndicatorValue,
    Resolution,
)
from grassroots.resolutions.models import Document

MIN_YEAR, MAX_YEAR = 1930, 2200
MAX_VALUE = Decimal("999999999999")


def parse_decimal(raw: Any, *, what: str, positive: bool = False) -> Decimal:
    """A decimal number typed the Vietnamese way or not (``1.746,6``, ``1746.6``, ``5,4``)."""
    if isinstance(raw, Decimal | int):
        number = Decimal(raw)
    else:
        text = str(raw or "").strip().replace(" ", "")
        if "," in text:  # "1.746,6" or "5,4": Vietnamese, dots group the thousands
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise RuleError(f"{what}: '{raw}' không phải là số.", code="not_a_number") from None
    if not number.is_finite() or abs(number) > MAX_VALUE:
        raise RuleError(f"{what}: '{raw}' không phải là số hợp lệ.", code="not_a_number")
    if number < 0 or (positive and number == 0):
        sign = "lớn hơn 0" if positive else "không âm"
        raise RuleError(f"{what} phải {sign} (nhận '{raw}').", code="out_of_range")
    if number != number.quantize(Decimal("0.0001")):
        raise RuleError(f"{what}: tối đa 4 chữ số thập phân.", code="too_precise")
    return number


def _check_choice(value: str, choices, what: str, code: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(f"{c.value} ({c.label})" for c in choices)
        raise RuleError(f"{what} không hợp lệ: '{value}' (cần một trong: {allowed}).", code=code)
    return value


def _check_term(term_from: int, term_to: int) -> None:
    if not (MIN_YEAR <= term_from <= MAX_YEAR and MIN_YEAR <= term_to <= MAX_YEAR):
        raise RuleError("Năm của nhiệm kỳ không hợp lệ.", code="term")
    if term_from > term_to:
        raise RuleError(
            f"Năm đầu ({term_from}) phải trước hoặc trùng năm cuối ({term_to}).", code="term"
        )
    if term_to - term_from > 10:
        raise RuleError("Một nhiệm kỳ có chỉ tiêu tối đa 11 năm.", code="term")


def _require(acting_user, organization: Organization) -> None:
    scope.require(acting_user, organization, scope.CHANGE)


# --- Resolutions -----------------------------------------------------------------------------


@transaction.atomic
def resolution_create(
    *,
    acting_user,
    organization: Organization,
    code: str,
    title: str,
    term_from: int,
    term_to: int,
    number: str = "",
    adopted: date | None = None,
    document: Document | None = None,
) -> Resolution:
    _require(acting_user, organization)
    code = (code or "").strip()
    if not code or len(code) > 40 or any(c.isspace() for c in code):
        raise RuleError("Mã nghị quyết không hợp lệ (không khoảng trắng, tối đa 40 ký tự).")
    if Resolution.objects.filter(code=code).exists():
        raise RuleError(f"Đã có nghị quyết mã {code}.", code="duplicate_code")
    if not (title or "").strip():
        raise RuleError("Thiếu tên nghị quyết.", code="title")
    _check_term(term_from, term_to)
    resolution = Resolution(
        organization=organization,
        code=code,
        title=title.strip(),
        number=(number or "").strip(),
        adopted=adopted,
        term_from=term_from,
        term_to=term_to,
        document=document,
    )
    resolution.save()
    return resolution


@transaction.atomic
def resolution_update(
    *, acting_user, resolution: Resolution, based_on: str | int | None = None, **fields: Any
) -> Resolution:
    """Change the title, number, adoption day, term or document; the term must still hold
    every stored value and the organisation stays."""
    _require(acting_user, resolution.organization)
    check_not_stale(resolution, based_on, what=f"nghị quyết {resolution.code}")
    allowed = {"title", "number", "adopted", "term_from", "term_to", "document"}
    unknown = set(fields) - allowed
    if unknown:
        raise RuleError(f"Không sửa được: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(resolution, name, value.strip() if isinstance(value, str) else value)
    if not resolution.title:
        raise RuleError("Thiếu tên nghị quyết.", code="title")
    _check_term(resolution.term_from, resolution.term_to)
    outside = IndicatorValue.objects.filter(indicator__resolution=resolution).exclude(
        year__gte=resolution.term_from, year__lte=resolution.term_to
    )
    if outside.exists():
        raise RuleError(
            "Đã có số liệu của năm ngoài nhiệm kỳ mới; hãy xóa các số liệu đó trước.",
            code="values_outside_term",
        )
    resolution.save()
    return resolution


# --- Indicators ------------------------------------------------------------------------------


def _indicator_fields(
    *, name: str, unit: str, direction: str, method: str, target: Any, source: str
) -> dict[str, Any]:
    if not (name or "").strip():
        raise RuleError("Thiếu tên chỉ tiêu.", code="name")
    return {
        "name": name.strip(),
        "unit": (unit or "").strip(),
        "direction": _check_choice(direction, IndicatorDirection, "Chiều đánh giá", "direction"),
        "method": _check_choice(method, IndicatorMethod, "Cách tính", "method"),
        "target": parse_decimal(target, what="Chỉ tiêu", positive=True),
        "source": _check_choice(source, IndicatorSource, "Nguồn số liệu", "source"),
    }


@transaction.atomic
def indicator_create(
    *,
    acting_user,
    resolution: Resolution,
    code: str,
    name: str,
    method: str,
    target: Any,
    unit: str = "",
    direction: str = IndicatorDirection.AT_LEAST,
    source: str = IndicatorSource.MANUAL,
    position: int | None = None,
) -> Indicator:
    _require(acting_user, resolution.organization)
    code = (code or "").strip()
    if not code or len(code) > 40 or any(c.isspace() for c in code):
        raise RuleError("Mã chỉ tiêu không hợp lệ (không khoảng trắng, tối đa 40 ký tự).")
    if resolution.indicators.filter(code=code).exists():
        raise RuleError(f"Nghị quyết đã có chỉ tiêu mã {code}.", code="duplicate_code")
    fields = _indicator_fields(
        name=name, unit=unit, direction=direction, method=method, target=target, source=source
    )
    if position is None:
        position = resolution.indicators.count() + 1
    indicator = Indicator(resolution=resolution, code=code, position=position, **fields)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(
    *,
    acting_user,
    indicator: Indicator,
    name: str,
    method: str,
    target: Any,
    unit: str = "",
    direction: str = IndicatorDirection.AT_LEAST,
    source: str = IndicatorSource.MANUAL,
    based_on: str | int | None = None,
) -> Indicator:
    _require(acting_user, indicator.resolution.organization)
    check_not_stale(indicator, based_on, what=f"chỉ tiêu {indicator.code}")
    fields = _indicator_fields(
        name=name, unit=unit, direction=direction, method=method, target=target, source=source
    )
    if fields["source"] != IndicatorSource.MANUAL and indicator.values.exists():
        raise RuleError(
            "Chỉ tiêu đã có số liệu nhập tay; hãy xóa chúng trước khi chuyển sang số liệu tính "
            "tự động.",
            code="values_exist",
        )
    changed = [name for name, value in fields.items() if getattr(indicator, name) != value]
    for name in changed:
        setattr(indicator, name, fields[name])
    if changed:
        indicator.save()
    return indicator


# --- Yearly values ---------------------------------------------------------------------------


@transaction.atomic
def value_set(
    *,
    acting_user,
    indicator: Indicator,
    year: int,
    value: Any,
    note: str = "",
    document: Document | None = None,
    based_on: str | int | None = None,
) -> tuple[IndicatorValue, bool]:
    """Record (or correct) a manual indicator's value for a year of the term; returns the value
    and whether anything changed (the same value twice changes nothing). ``based_on``: the
    version the form read (``core.locking.NEW`` for none)."""
    resolution = indicator.resolution
    _require(acting_user, resolution.organization)
    if indicator.source != IndicatorSource.MANUAL:
        raise RuleError(
            f"Chỉ tiêu {indicator.code} được tính tự động từ số liệu của hệ thống, không nhập tay.",
            code="computed_indicator",
        )
    if not resolution.term_from <= int(year) <= resolution.term_to:
        raise RuleError(
            f"Năm {year} ngoài nhiệm kỳ {resolution.term_from}–{resolution.term_to}.",
            code="year_outside_term",
        )
    number = parse_decimal(value, what="Giá trị")
    if document is not None and not scope.allowed(acting_user, document, scope.VIEW):
        raise RuleError("Không tìm thấy văn bản nguồn.", code="unknown_document")
    note = (note or "").strip()
    current = IndicatorValue.objects.select_for_update().filter(indicator=indicator, year=year)
    stored = current.first()
    check_not_stale(stored, based_on, what=f"số liệu năm {year} của chỉ tiêu {indicator.code}")
    if stored is None:
        stored = IndicatorValue(
            indicator=indicator,
            year=year,
            value=number,
            note=note,
            document=document,
            entered_by=acting_user,
        )
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError:
            raise RuleError(
                "Số liệu năm này vừa được người khác nhập; hãy tải lại trang.", code="stale"
            ) from None
        return stored, True
    same = (
        stored.value == number
        and stored.note == note
        and stored.document_id == (document.pk if document else None)
    )
    if same:
        return stored, False
    stored.value, stored.note, stored.document = number, note, document
    stored.entered_by = acting_user
    stored.save()
    return stored, True


@transaction.atomic
def value_clear(*, acting_user, value: IndicatorValue, based_on: str | int | None = None) -> None:
    """Delete a yearly value (the indicator has no value for that year any more: ``no_data``);
    the audit log keeps what it was."""
    _require(acting_user, value.indicator.resolution.organization)
    check_not_stale(value, based_on, what=f"số liệu năm {value.year}")
    value.delete()
