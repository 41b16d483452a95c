import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from grassroots.core import figures as registry
from grassroots.statistics import figures
from tests.statistics.history import build_history

pytestmark = pytest.mark.django_db


def _report(*args) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_json_objects_have_the_interchange_shape():
    build_history()
    coverage = json.loads(_report("coverage", "--org", "DB-112", "--as-of", "2020-12-31", "--json"))
    assert list(coverage) == ["organization", "as_of", "members", "cells", "places"]
    assert list(coverage["members"]) == ["official", "probationary", "exempted"]
    assert list(coverage["places"]) == ["village", "residential_group", "school", "health_station"]
    for counts in coverage["places"].values():
        assert list(counts) == ["total", "without_cell", "without_members", "below_three_official"]
    assert coverage == figures.coverage(organization="DB-112", day=date(2020, 12, 31))

    out = _report(
        "admissions", "--org", "DB-112", "--from", "2013-06-01", "--to", "2023-11-23", "--json"
    )
    admissions = json.loads(out)
    assert list(admissions) == ["organization", "from", "to", "admitted", "by_year"]
    assert admissions["admitted"] == 7 and admissions["by_year"]["2014"] == 4
    assert list(admissions["by_year"]) == [str(y) for y in range(2013, 2024)]


def test_readable_tables_in_vietnamese():
    build_history()
    text = _report("coverage", "--org", "DB-112", "--as-of", "2020-12-31")
    assert "số liệu tại ngày 31/12/2020" in text
    assert "Bản, thôn" in text and "Chưa có chi bộ" in text
    text = _report("admissions", "--org", "DB-112", "--from", "2013-06-01", "--to", "2023-11-23")
    assert "từ 01/06/2013 đến 23/11/2023" in text and "Tổng cộng" in text
    # Numbers are formatted the Vietnamese way.
    result = {
        **json.loads(_report("coverage", "--org", "DB-112", "--as-of", "2020-12-31", "--json"))
    }
    result["members"]["official"] = 1023
    assert "1.023" in registry.get("coverage").text(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("coverage", "--org", "KHONG-CO", "--as-of", "2020-12-31"), "Không tìm thấy tổ chức"),
        (("coverage", "--org", "DB-112", "--as-of", "2020-02-30"), "Ngày không hợp lệ"),
        (("admissions", "--org", "DB-112", "--from", "x", "--to", "2020-01-01"), "--from"),
        (("admissions", "--org", "DB-112", "--from", "2021-01-01", "--to", "2020-01-01"), "--to"),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    build_history()
    with pytest.raises(CommandError, match=message):
        _report(*args)
