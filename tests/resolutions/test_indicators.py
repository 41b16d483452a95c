"""Resolutions and indicators: the services' rules, the figure-sourced indicators computed live,
the resolution page, the value form with its history, the API, and the interchange files
(all-or-nothing import with a row report, export, round trip)."""

from __future__ import annotations

import csv
import json
from datetime import date
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse

from grassroots.core.errors import NotFound, RuleError
from grassroots.core.locking import StaleError
from grassroots.ratings.services import rating_record
from grassroots.resolutions import indicator_services as services
from grassroots.resolutions.indicator_models import Indicator, IndicatorValue, Resolution
from grassroots.resolutions.models import Document
from tests import factories
from tests.interchange.history import write_package


@pytest.fixture
def resolution(reg):
    r = services.resolution_create(
        acting_user=None,
        organization=reg.committee,
        code="DB-112-DH3",
        number="01-NQ/ĐH",
        title="Nghị quyết Đại hội III",
        term_from=2021,
        term_to=2025,
    )
    forest = services.indicator_create(
        acting_user=None, resolution=r, code="RM", name="Trồng mới rừng", unit="ha",
        method="total", target="1500",
    )  # fmt: skip
    for year, value in ((2021, "812,4"), (2022, "934.2")):
        services.value_set(acting_user=None, indicator=forest, year=year, value=value)
    services.indicator_create(
        acting_user=None, resolution=r, code="KN", name="Kết nạp đảng viên", method="annual",
        target="2", source="admissions",
    )  # fmt: skip
    services.indicator_create(
        acting_user=None, resolution=r, code="TCD", name="Tổ chức đảng tốt trở lên", unit="%",
        method="annual", target="40", source="good_or_better_share",
    )  # fmt: skip
    return r


def _review(code="DB-112-DH3", through=2022) -> dict:
    out = StringIO()
    call_command(
        "report", "indicators", "--resolution", code, "--through", str(through), "--json",
        stdout=out,
    )  # fmt: skip
    return {i["code"]: i for i in json.loads(out.getvalue())["indicators"]}


# --- Services ----------------------------------------------------------------------------------


def test_rules_refuse_bad_input_and_write_nothing(resolution, make_user, reg):
    forest = resolution.indicators.get(code="RM")
    computed = resolution.indicators.get(code="KN")
    with pytest.raises(RuleError, match="ngoài nhiệm kỳ"):
        services.value_set(acting_user=None, indicator=forest, year=2026, value="1")
    with pytest.raises(RuleError, match="không âm"):
        services.value_set(acting_user=None, indicator=forest, year=2023, value="-1")
    with pytest.raises(RuleError, match="không phải là số"):
        services.value_set(acting_user=None, indicator=forest, year=2023, value="nhiều")
    with pytest.raises(RuleError, match="tính tự động"):
        services.value_set(acting_user=None, indicator=computed, year=2022, value="5")
    with pytest.raises(RuleError, match="lớn hơn 0"):
        services.indicator_create(
            acting_user=None, resolution=resolution, code="X", name="X", method="total", target="0"
        )
    with pytest.raises(RuleError, match="Cách tính không hợp lệ"):
        services.indicator_create(
            acting_user=None, resolution=resolution, code="X", name="X", method="sum", target="1"
        )
    with pytest.raises(RuleError, match="Đã có nghị quyết"):
        services.resolution_create(
            acting_user=None, organization=reg.committee, code="DB-112-DH3", title="Khác",
            term_from=2021, term_to=2025,
        )  # fmt: skip
    with pytest.raises(RuleError, match="Năm đầu"):
        services.resolution_create(
            acting_user=None, organization=reg.committee, code="N2", title="Khác",
            term_from=2025, term_to=2021,
        )  # fmt: skip
    with pytest.raises(RuleError, match="ngoài nhiệm kỳ mới"):
        services.resolution_update(acting_user=None, resolution=resolution, term_from=2023)
    outsider = make_user("xa-b", roles=["editor"], scope=reg.commune_committee_b)
    with pytest.raises(NotFound):
        services.value_set(acting_user=outsider, indicator=forest, year=2023, value="1")
    assert IndicatorValue.objects.filter(indicator=forest).count() == 2
    assert Indicator.objects.count() == 3 and Resolution.objects.count() == 1


def test_a_corrected_value_keeps_its_history_and_refuses_a_stale_edit(resolution, admin_user):
    forest = resolution.indicators.get(code="RM")
    stored = forest.values.get(year=2022)
    report = Document.objects.create(
        organization=resolution.organization, type="BC", issuer_code="HU", number="97-BC/HU",
        issued_on=date(2022, 12, 15), title="Báo cáo năm 2022",
    )  # fmt: skip
    value, changed = services.value_set(
        acting_user=admin_user, indicator=forest, year=2022, value="940", document=report,
        based_on=stored.version,
    )  # fmt: skip
    assert changed and value.entered_by == admin_user and value.document == report
    assert (
        services.value_set(
            acting_user=admin_user, indicator=forest, year=2022, value="940", document=report
        )[1]
        is False
    )
    with pytest.raises(StaleError):
        services.value_set(
            acting_user=admin_user, indicator=forest, year=2022, value="1", based_on=stored.version
        )
    entries = LogEntry.objects.get_for_object(value).order_by("timestamp")
    changes = [e.changes_dict["value"] for e in entries if "value" in e.changes_dict]
    # created 934.2, then corrected to 940: both values are in the history
    assert changes[0][1].startswith("934.2") and changes[-1][0].startswith("934.2")
    assert changes[-1][1].startswith("940")
    assert _review()["RM"]["actual"] == 1752.4
    # Clearing a year leaves the indicator without data; the audit log keeps what it was.
    with pytest.raises(StaleError):
        services.value_clear(acting_user=admin_user, value=value, based_on=1)
    pk = value.pk
    services.value_clear(acting_user=admin_user, value=value, based_on=value.version)
    assert _review()["RM"]["status"] == "no_data"
    assert LogEntry.objects.filter(object_pk=str(pk), action=LogEntry.Action.DELETE).exists()


# --- Figure-sourced indicators, live -----------------------------------------------------------


def test_admissions_and_good_or_better_are_computed_from_the_registry(resolution, reg, cells=None):
    assert _review()["KN"]["status"] == "not_met" and _review()["KN"]["actual"] == 0
    for i, year in enumerate((2021, 2021, 2022, 2022, 2022)):
        factories.member(
            full_name=f"Lò Văn {i}", code=f"KN{i}", organization=reg.cell_a,
            place=reg.village_a, admitted=date(year, 5, 1),
        )  # fmt: skip
    review = _review()
    # 2 and 3 admitted: mean 2.5 against 2 a year, 25% above.
    assert (review["KN"]["actual"], review["KN"]["percent"]) == (2.5, 25.0)
    # No ratings in 2021 or 2022: no data.
    assert review["TCD"]["status"] == "no_data" and review["TCD"]["actual"] is None
    for year in ("2021", "2022"):
        for org, level in (
            (reg.commune_committee_a, "good"),
            (reg.commune_committee_b, "completed"),
            (reg.cell_a, "excellent" if year == "2022" else "completed"),
            (reg.cell_b, "good"),
        ):
            rating_record(
                acting_user=None, period_kind="year", period_label=year, organization=org,
                level=level,
            )  # fmt: skip
    review = _review()
    # 2021: 2 of 4 good or better (50%), 2022: 3 of 4 (75%): mean 62.5 against 40.
    assert review["TCD"]["actual"] == 62.5 and review["TCD"]["percent"] == 56.3
    assert review["TCD"]["status"] == "exceeded"


def test_figure_records_are_the_admitted_events_and_good_ratings(resolution, reg):
    from grassroots.core import figures as registry

    factories.member(
        full_name="Lò Văn A", code="KA", organization=reg.cell_a, place=reg.village_a,
        admitted=date(2021, 5, 1),
    )  # fmt: skip
    figure = registry.get("indicators")
    values = figure.parse({"resolution": "DB-112-DH3", "through": "2022"})
    records = figure.drill(reg.committee, "values.KN.2021", **values)
    assert records.kind == "events" and records.queryset.count() == 1
    assert figure.drill(reg.committee, "values.TCD.2022", **values).kind == "ratings"
    for path in ("values.RM.2021", "values.KN.2030", "khong.co"):
        with pytest.raises(NotFound):
            figure.drill(reg.committee, path, **values)


# --- Pages -------------------------------------------------------------------------------------


def test_the_resolution_page_shows_every_indicator_its_review_and_charts(
    resolution, client, admin_user
):
    client.force_login(admin_user)
    page = client.get(reverse("resolutions:congress_detail", args=["DB-112-DH3"]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Đánh giá đến hết năm 2022" in body
    assert "vượt 191,1%" in body and "1.746,6" in body and "812,4" in body
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert 'stroke-dasharray="6 4"' in body  # the expected line
    assert reverse("admissions:admitted") + "?organization=DB-112&amp;year=2021" in body
    assert "level=good_or_better" in body and "period_label=2022" in body
    assert reverse("resolutions:indicator_value", args=["DB-112-DH3", "RM", 2023]) in body
    earlier = client.get(
        reverse("resolutions:congress_detail", args=["DB-112-DH3"]), {"through": "2021"}
    ).content.decode()
    assert "Đánh giá đến hết năm 2021" in earlier and "vượt 170,8%" in earlier
    wrong = client.get(
        reverse("resolutions:congress_detail", args=["DB-112-DH3"]), {"through": "abc"}
    )
    assert (
        wrong.status_code == 200 and "Năm đánh giá phải trong 2021–2025" in wrong.content.decode()
    )
    listing = client.get(reverse("resolutions:congress_list")).content.decode()
    assert "DB-112-DH3" in listing


def test_the_value_form_writes_with_its_document_and_shows_the_history(
    resolution, client, make_user, reg
):
    editor = make_user("huyen", roles=["editor"], scope=reg.committee)
    client.force_login(editor)
    url = reverse("resolutions:indicator_value", args=["DB-112-DH3", "RM", 2023])
    assert client.get(url).status_code == 200
    response = client.post(url, {"value": "1.020,5", "note": "Báo cáo năm 2023", "based_on": "0"})
    assert response.status_code == 302
    stored = IndicatorValue.objects.get(indicator__code="RM", year=2023)
    assert str(stored.value) == "1020.5000" and stored.entered_by == editor
    bad = client.post(url, {"value": "-3", "based_on": str(stored.version)})
    assert bad.status_code == 200 and "không âm" in bad.content.decode()
    page = client.get(url).content.decode()
    assert "Lịch sử thay đổi" in page and "1.020,5" in page
    # A figure-sourced indicator has no value form; a year outside the term neither.
    assert (
        client.get(
            reverse("resolutions:indicator_value", args=["DB-112-DH3", "KN", 2023])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("resolutions:indicator_value", args=["DB-112-DH3", "RM", 2030])
        ).status_code
        == 404
    )
    outsider = make_user("xa-b", roles=["editor"], scope=reg.commune_committee_b)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"value": "1"}).status_code == 404


def test_resolution_and_indicator_forms(client, make_user, reg):
    editor = make_user("huyen", roles=["editor"], scope=reg.committee)
    client.force_login(editor)
    response = client.post(
        reverse("resolutions:congress_create"),
        {"organization": "DB-112", "code": "NQ-1", "title": "Nghị quyết Đại hội", "number": "",
         "term_from": "2021", "term_to": "2025"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    response = client.post(
        reverse("resolutions:indicator_create", args=["NQ-1"]),
        {"code": "LT", "name": "Sản lượng lương thực", "unit": "tấn", "direction": "at_least",
         "method": "annual", "target": "19.000", "source": "manual"},
    )  # fmt: skip
    assert response.status_code == 302
    assert str(Indicator.objects.get(code="LT").target) == "19000.0000"
    bad = client.post(
        reverse("resolutions:indicator_create", args=["NQ-1"]),
        {"code": "LT2", "name": "X", "direction": "at_least", "method": "annual",
         "target": "không", "source": "manual"},
    )  # fmt: skip
    assert bad.status_code == 200 and "không phải là số" in bad.content.decode()
    edit = reverse("resolutions:indicator_edit", args=["NQ-1", "LT"])
    version = Indicator.objects.get(code="LT").version
    response = client.post(
        edit,
        {"name": "Sản lượng lương thực có hạt", "unit": "tấn", "direction": "at_least",
         "method": "annual", "target": "19000", "source": "manual", "based_on": str(version)},
    )  # fmt: skip
    assert response.status_code == 302
    assert Indicator.objects.get(code="LT").name == "Sản lượng lương thực có hạt"
    edit = reverse("resolutions:congress_edit", args=["NQ-1"])
    response = client.post(
        edit,
        {"title": "Nghị quyết Đại hội III", "number": "01-NQ/ĐH", "term_from": "2021",
         "term_to": "2026", "based_on": str(Resolution.objects.get().version)},
    )  # fmt: skip
    assert response.status_code == 302 and Resolution.objects.get().term_to == 2026


# --- API ---------------------------------------------------------------------------------------


def test_api_lists_reads_reviews_and_records(resolution, client, make_user, reg):
    editor = make_user("huyen", roles=["editor"], scope=reg.committee)
    client.force_login(editor)
    listed = client.get("/api/v1/resolutions/congress/").json()
    assert listed["count"] == 1 and listed["items"][0]["organization"] == "DB-112"
    detail = client.get("/api/v1/resolutions/congress/DB-112-DH3").json()
    assert [i["code"] for i in detail["indicators"]] == ["RM", "KN", "TCD"]
    review = client.get("/api/v1/resolutions/congress/DB-112-DH3/review", {"through": 2022})
    report = client.get("/api/v1/reports/indicators", {"resolution": "DB-112-DH3", "through": 2022})
    assert review.json() == report.json() and review.json()["indicators"][0]["percent"] == 191.1
    assert (
        client.get("/api/v1/resolutions/congress/DB-112-DH3/review", {"through": 2030}).status_code
        == 400
    )
    url = "/api/v1/resolutions/congress/DB-112-DH3/indicators/RM/values/2023"
    put = client.put(url, {"value": "1000", "version": 0}, content_type="application/json")
    assert put.status_code == 200 and float(put.json()["value"]) == 1000
    stale = client.put(url, {"value": "999", "version": 0}, content_type="application/json")
    assert stale.status_code == 409
    refused = client.put(
        "/api/v1/resolutions/congress/DB-112-DH3/indicators/KN/values/2023",
        {"value": "3"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "computed_indicator"
    client.force_login(make_user("xa-b", roles=["editor"], scope=reg.commune_committee_b))
    assert client.get("/api/v1/resolutions/congress/DB-112-DH3").status_code == 404
    assert client.put(url, {"value": "5"}, content_type="application/json").status_code == 404


# --- Interchange -------------------------------------------------------------------------------


def _read(folder, name):
    with open(folder / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_export_and_import_round_trip(resolution, tmp_path):
    from grassroots.interchange.exporter import export_organization

    before = _review()
    export_organization(resolution.organization, tmp_path / "pkg")
    assert _read(tmp_path / "pkg", "resolutions.csv")[1] == [
        "DB-112-DH3", "DB-112", "Nghị quyết Đại hội III", "01-NQ/ĐH", "", "2021", "2025",
    ]  # fmt: skip
    assert _read(tmp_path / "pkg", "indicators.csv")[1] == [
        "DB-112-DH3", "RM", "Trồng mới rừng", "ha", "at_least", "total", "1500", "manual",
    ]  # fmt: skip
    assert _read(tmp_path / "pkg", "indicator_values.csv")[1:] == [
        ["DB-112-DH3", "RM", "2021", "812.4", ""],
        ["DB-112-DH3", "RM", "2022", "934.2", ""],
    ]
    # Importing the same package changes nothing; into a registry without the resolution it
    # reproduces the review.
    call_command("import", str(tmp_path / "pkg"), stdout=StringIO())
    assert IndicatorValue.objects.count() == 2 and _review() == before
    Resolution.objects.all().delete()
    call_command("import", str(tmp_path / "pkg"), stdout=StringIO())
    assert _review() == before


def test_import_is_all_or_nothing_with_a_row_report(reg, tmp_path):
    tables = {
        "resolutions.csv": [["NQ-1", "DB-112", "Nghị quyết", "01-NQ/ĐH", "2020-08-14", "2021", "2025"]],
        "indicators.csv": [
            ["NQ-1", "A", "Chỉ tiêu A", "ha", "at_least", "total", "100", "manual"],
            ["NQ-1", "B", "Chỉ tiêu B", "ha", "up", "total", "100", "manual"],
            ["NQ-1", "C", "Chỉ tiêu C", "", "at_least", "annual", "60", "admissions"],
        ],
        "indicator_values.csv": [
            ["NQ-1", "A", "2021", "12.5", ""],
            ["NQ-1", "A", "2030", "1", ""],
            ["NQ-1", "C", "2021", "61", ""],
            ["NQ-1", "Z", "2021", "1", ""],
        ],
    }  # fmt: skip
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(write_package(tmp_path / "goi", tables)), stdout=out)
    report = out.getvalue()
    assert "indicators.csv:3: direction: Chiều đánh giá không hợp lệ: 'up'" in report
    assert "indicator_values.csv:3: year: Năm 2030 ngoài nhiệm kỳ 2021–2025." in report
    assert "indicator_values.csv:4: indicator_code:" in report
    assert (
        "indicator_values.csv:5: indicator_code: nghị quyết NQ-1 không có chỉ tiêu mã Z." in report
    )
    assert not Resolution.objects.exists() and not IndicatorValue.objects.exists()
    # Fixed, it imports; the second time it changes nothing.
    tables["indicators.csv"][1][4] = "at_most"
    tables["indicator_values.csv"] = tables["indicator_values.csv"][:1]
    call_command("import", str(write_package(tmp_path / "goi2", tables)), stdout=StringIO())
    assert Indicator.objects.count() == 3 and IndicatorValue.objects.count() == 1
    call_command("import", str(write_package(tmp_path / "goi2", tables)), stdout=StringIO())
    assert Indicator.objects.count() == 3 and IndicatorValue.objects.count() == 1
    assert Resolution.objects.get().adopted == date(2020, 8, 14)
