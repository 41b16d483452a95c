"""The official statistical forms in the figure registry: ``form1``, ``form2``, ``form3``,
``form4``, ``form5``, ``form7`` (1-, 2-, 3-, 4-, 5-,
7-BTCTW; :mod:`grassroots.reports.official`). The command line, the API, the
drill-down pages and "Gửi báo cáo" read them from here."""

from __future__ import annotations

from datetime import date

from grassroots.core import figures as registry
from grassroots.core.errors import NotFound
from grassroots.organizations.models import Organization
from grassroots.reports import labels, official


def _records(tally: official.Tally, path: str) -> registry.Records:
    found = tally.records(path)
    if found is None:
        raise NotFound("Không có chỉ tiêu này.", code="unknown_figure")
    kind, queryset = found
    return registry.Records(kind, queryset)


def _form1(*, organization: Organization, start: date, end: date) -> dict:
    return official.form1(organization, start, end)


def _form1_records(*, organization: Organization, path: str, start: date, end: date):
    return _records(official.form1_tally(organization, start, end), path)


def _form2(*, organization: Organization, start: date, end: date) -> dict:
    return official.form2(organization, start, end)


def _form2_records(*, organization: Organization, path: str, start: date, end: date):
    return _records(official.form2_tally(organization, start, end)[0], path)


def _form3(*, organization: Organization, day: date) -> dict:
    return official.form3(organization, day)


def _form3_records(*, organization: Organization, path: str, day: date):
    return _records(official.form3_tally(organization, day)[0], path)


def _form4(*, organization: Organization, day: date) -> dict:
    return official.form4(organization, day)


def _form4_records(*, organization: Organization, path: str, day: date):
    return _records(official.form4_tally(organization, day)[0], path)


def _form5(*, organization: Organization, day: date) -> dict:
    return official.form5(organization, day)


def _form5_records(*, organization: Organization, path: str, day: date):
    return _records(official.form5_tally(organization, day), path)


def _form7(*, organization: Organization, start: date, end: date) -> dict:
    return official.form7(organization, start, end)


def _form7_records(*, organization: Organization, path: str, start: date, end: date):
    return _records(official.form7_tally(organization, start, end), path)


def _skip_mean(result: dict):
    skip = {"form", "organization", "from", "to", "as_of", "mean_age"}
    return [(p, n) for p, n in registry.walk(result) if p.split(".")[0] not in skip]


def _form(name: str, label: str, params, compute, records) -> registry.Figure:
    """Register one official form as a figure (its definition and titles in ``labels``)."""
    return registry.register(
        registry.Figure(
            name=name,
            label=label,
            definition=labels.DEFINITIONS[name],
            params=params,
            compute=compute,
            records=records,
            title=lambda path: labels.title(name, path),
            drill_paths=_skip_mean,
            module=__name__,
        )
    )


FORM1 = _form(
    "form1", "Biểu số 1-BTCTW: tăng, giảm đảng viên", registry.PERIOD, _form1, _form1_records
)
FORM2 = _form(
    "form2", "Biểu số 2-BTCTW: đảng viên mới kết nạp", registry.PERIOD, _form2, _form2_records
)
FORM3 = _form(
    "form3", "Biểu số 3-BTCTW: đảng viên cuối kỳ", registry.ON_DAY, _form3, _form3_records
)
FORM4 = _form(
    "form4",
    "Biểu số 4-BTCTW: đảng viên theo dân tộc, tôn giáo",
    registry.ON_DAY,
    _form4,
    _form4_records,
)
FORM5 = _form(
    "form5",
    "Biểu số 5-BTCTW: tổ chức cơ sở đảng và đảng viên theo loại hình đơn vị",
    registry.ON_DAY,
    _form5,
    _form5_records,
)
FORM7 = _form(
    "form7",
    "Biểu số 7-BTCTW: huy hiệu Đảng, thẻ đảng viên, chuyển sinh hoạt",
    registry.PERIOD,
    _form7,
    _form7_records,
)
