import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from grassroots.ratings.services import rating_record

pytestmark = pytest.mark.django_db


def test_ratings_report_json_and_text(reg, cells, settings):
    # Two of the nine organisations under DB-112 are rated: a trend needs the policy's coverage.
    settings.GRASSROOTS_POLICY = {"RATING_TREND_MIN_COVERAGE_PERCENT": 20}
    for label, levels in [("2023", ["good", "completed"]), ("2024", ["excellent", "good"])]:
        for cell, level in zip(cells, levels, strict=False):
            rating_record(
                acting_user=None,
                period_kind="year",
                period_label=label,
                organization=cell,
                level=level,
            )
    out = StringIO()
    call_command("ratings_report", "--org", "DB-112", "--year", "2024", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["organization"], data["year_from"], data["year_to"]) == ("DB-112", 2020, 2024)
    assert [d["share_good_or_better"] for d in data["trend"]] == [None, None, None, 50.0, 100.0]
    assert data["share_change"] == 50.0
    out = StringIO()
    call_command("ratings_report", "--org", "DB-112", "--year", "2024", stdout=out)
    text = out.getvalue()
    assert "Hoàn thành xuất sắc nhiệm vụ" in text and "100,0%" in text and "50,0 điểm" in text
    with pytest.raises(CommandError):
        call_command("ratings_report", "--org", "KHONG", "--year", "2024")
