"""The review of a resolution's indicators against DOMAIN.md's definition, word by word: fixed
examples (the seed's, rounding half away from zero, actual 0, no_data) and random resolutions
imported through the interchange part (hypothesis), for every method and direction, read
through ``grassroots report indicators --json`` and the API (both databases)."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.resolutions.indicator_interchange import (
    INDICATORS,
    RESOLUTIONS,
    VALUES,
    import_rows,
)
from grassroots.resolutions.indicator_models import Resolution
from grassroots.resolutions.indicator_selectors import assess

# --- DOMAIN.md's definition, independently -----------------------------------------------------


def oracle(direction, method, target, values, term_from, term_to, through):
    """``(actual, expected, percent, status)`` by DOMAIN.md: years Y1..Y, n of them."""
    years = range(term_from, through + 1)
    n = len(years)
    target = Fraction(target)
    expected = target * n / (term_to - term_from + 1) if method == "total" else target
    yearly = [values.get(y) for y in years]
    if any(v is None for v in yearly):
        return None, expected, None, "no_data"
    yearly = [Fraction(v) for v in yearly]
    actual = {
        "total": sum(yearly),
        "annual": sum(yearly) / n,
        "level": yearly[-1],
    }[method]
    if direction == "at_most" and actual == 0:
        return actual, expected, None, "exceeded"
    ratio = actual / expected if direction == "at_least" else expected / actual
    exact = (ratio - 1) * 100
    with localcontext() as ctx:
        ctx.prec = 80
        percent = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    if percent == 0:
        percent = abs(percent)
    status = "exceeded" if percent > 0 else "met" if percent == 0 else "not_met"
    return actual, expected, percent, status


# --- Fixed examples ------------------------------------------------------------------------------


def _assess(direction, method, target, values, length=5):
    return assess(
        direction=direction,
        method=method,
        target=Fraction(target),
        values=[None if v is None else Fraction(Decimal(v)) for v in values],
        term_length=length,
    )


def test_the_seed_s_new_forest_is_191_1_percent_above():
    a = _assess("at_least", "total", "1500", ["812.4", "934.2"])
    assert a.expected == 600 and a.actual == Fraction("1746.6")
    assert (a.percent, a.status) == (Decimal("191.1"), "exceeded")


def test_percent_is_rounded_half_away_from_zero():
    # 1.0005 → 0.05% → 0.1 (exceeded); 0.9995 → −0.05% → −0.1 (not met); 1.0004 → 0.0 (met)
    assert _assess("at_least", "level", "10000", [None, "10005"][1:], 1).percent == Decimal("0.1")
    assert _assess("at_least", "level", "10000", ["9995"], 1).percent == Decimal("-0.1")
    met = _assess("at_least", "level", "10000", ["10004"], 1)
    assert (met.percent, met.status) == (Decimal("0.0"), "met")
    met = _assess("at_least", "level", "10000", ["9996"], 1)
    assert (str(met.percent), met.status) == ("0.0", "met")  # never "-0.0"


def test_actual_zero():
    at_most = _assess("at_most", "annual", "2", ["0", "0"])
    assert (at_most.actual, at_most.percent, at_most.status) == (0, None, "exceeded")
    at_least = _assess("at_least", "total", "100", ["0", "0"])
    assert (at_least.percent, at_least.status) == (Decimal("-100.0"), "not_met")


def test_a_missing_year_is_no_data_and_level_reads_the_last_year():
    missing = _assess("at_least", "level", "10", [None, "12"])
    assert (missing.actual, missing.percent, missing.status) == (None, None, "no_data")
    level = _assess("at_most", "level", "30", ["38.4", "34.1"])
    assert level.actual == Fraction("34.1") and level.percent == Decimal("-12.0")


# --- Random resolutions, imported --------------------------------------------------------------

AMOUNT = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def resolutions(draw):
    term_from = draw(st.integers(2000, 2030))
    term_to = term_from + draw(st.integers(0, 5))
    through = draw(st.integers(term_from, term_to))
    indicators = []
    for i in range(draw(st.integers(1, 6))):
        values = {}
        for year in range(term_from, term_to + 1):
            kind = draw(st.sampled_from(["value", "value", "value", "zero", "missing"]))
            if kind == "value":
                values[year] = draw(AMOUNT)
            elif kind == "zero":
                values[year] = Decimal(0)
        target = draw(
            st.decimals(min_value="0.01", max_value=5000, places=2, allow_nan=False)
        ).normalize()
        indicators.append(
            {
                "code": f"CT{i + 1}",
                "direction": draw(st.sampled_from(["at_least", "at_most"])),
                "method": draw(st.sampled_from(["total", "annual", "level"])),
                "target": target,
                "values": values,
            }
        )
    return term_from, term_to, through, indicators


def _import(code, organization, term_from, term_to, indicators):
    tables = {
        RESOLUTIONS: [(2, {
            "code": code, "organization_code": organization, "title": "Nghị quyết thử",
            "number": "01-NQ/ĐH", "adopted": "", "term_from": str(term_from),
            "term_to": str(term_to),
        })],
        INDICATORS: [(line, {
            "resolution_code": code, "code": i["code"], "name": f"Chỉ tiêu {i['code']}",
            "unit": "ha", "direction": i["direction"], "method": i["method"],
            "target": str(i["target"]), "source": "manual",
        }) for line, i in enumerate(indicators, start=2)],
        VALUES: [(line, {
            "resolution_code": code, "indicator_code": i["code"], "year": str(year),
            "value": str(value), "note": "",
        }) for line, (i, year, value) in enumerate(
            ((i, y, v) for i in indicators for y, v in i["values"].items()), start=2
        )],
    }  # fmt: skip
    result = import_rows(tables, acting_user=None)
    assert result.problems == []
    return result


def _report(*args) -> dict:
    out = StringIO()
    call_command("report", "indicators", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


COUNTER = iter(range(10**6))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=resolutions())
def test_random_resolutions_match_the_definition(reg, client, admin_user, case):
    term_from, term_to, through, indicators = case
    code = f"NQ-{next(COUNTER)}"
    _import(code, "DB-112", term_from, term_to, indicators)
    try:
        result = _report("--resolution", code, "--through", str(through))
        assert result["term_from"] == term_from and result["through"] == through
        assert result["total"] == len(indicators)
        counts = {"exceeded": 0, "met": 0, "not_met": 0, "no_data": 0}
        for item, spec in zip(result["indicators"], indicators, strict=True):
            actual, expected, percent, status = oracle(
                spec["direction"], spec["method"], spec["target"], spec["values"],
                term_from, term_to, through,
            )  # fmt: skip
            counts[status] += 1
            assert item["code"] == spec["code"] and item["status"] == status, (item, spec)
            assert item["percent"] == (None if percent is None else float(percent)), item
            assert item["target"] == float(spec["target"])
            assert item["expected"] == pytest.approx(float(expected), abs=1e-4)
            if actual is None:
                assert item["actual"] is None
            else:
                assert item["actual"] == pytest.approx(float(actual), abs=1e-4)
        assert {k: result[k] for k in counts} == counts
        assert result["met_or_exceeded"] == counts["met"] + counts["exceeded"]
        # The API gives the same object.
        client.force_login(admin_user)
        answer = client.get(
            "/api/v1/reports/indicators", {"resolution": code, "through": through}
        ).json()
        assert answer == result
    finally:
        Resolution.objects.filter(code=code).delete()


# --- The command line's and the API's refusals ---------------------------------------------------


@pytest.fixture
def small(reg):
    _import(
        "NQ-X",
        "DB-112",
        2021,
        2025,
        [{"code": "CT1", "direction": "at_least", "method": "total", "target": Decimal(1500),
          "values": {2021: Decimal("812.4"), 2022: Decimal("934.2")}}],
    )  # fmt: skip
    return reg


def test_command_line_answers_and_refuses(small):
    result = _report("--resolution", "NQ-X", "--through", "2022")
    assert result["indicators"][0]["percent"] == 191.1
    assert (
        result["indicators"][0]["actual"] == 1746.6 and result["indicators"][0]["expected"] == 600
    )
    out = StringIO()
    call_command("report", "indicators", "--resolution", "NQ-X", "--through", "2022", stdout=out)
    assert "1/1 chỉ tiêu đạt và vượt" in out.getvalue() and "191,1" in out.getvalue()
    with pytest.raises(CommandError, match="--through"):
        _report("--resolution", "NQ-X", "--through", "2030")
    with pytest.raises(CommandError, match="Không tìm thấy nghị quyết có mã NQ-Y"):
        _report("--resolution", "NQ-Y", "--through", "2022")
    with pytest.raises(CommandError, match="--org"):
        _report("--resolution", "NQ-X", "--through", "2022", "--org", "DU-03434")
    assert _report("--resolution", "NQ-X", "--through", "2022", "--org", "DB-112") == result


def test_api_answers_within_the_scope_only(small, client, make_user):
    url = "/api/v1/reports/indicators"
    client.force_login(make_user("huyen", scope=small.committee))
    assert client.get(url, {"resolution": "NQ-X", "through": 2022}).json()["met_or_exceeded"] == 1
    bad = client.get(url, {"resolution": "NQ-X", "through": 2030})
    assert bad.status_code == 422 and "through" in bad.json()["detail"]
    assert client.get(url, {"resolution": "NQ-X"}).status_code == 422
    client.force_login(make_user("xa", scope=small.commune_committee_a))
    hidden = client.get(url, {"resolution": "NQ-X", "through": 2022})
    assert hidden.status_code == 404 and "DB-112" not in hidden.json()["detail"]
    assert client.get(url, {"resolution": "NQ-Z", "through": 2022}).status_code == 404
