import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from grassroots.admissions import services
from tests.admissions.conftest import advance, new_candidate

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("admissions_report", *args, stdout=out)
    return out.getvalue()


def test_targets_and_funnel(cell, editor):
    reg, members, _ = cell
    advance(new_candidate(reg, editor), editor, members, "admitted")
    services.target_set(
        acting_user=editor, organization=reg.committee, year_from=2020, year_to=2025, per_year=60
    )
    data = json.loads(run("targets", "--org", "DB-112", "--year", "2024", "--json"))
    assert (data["admitted"], data["target"], data["met"]) == (1, 60, False)
    assert data["groups"]["women"] == 1
    text = run("targets", "--org", "DB-112", "--year", "2024")
    assert "Chỉ tiêu: ≥ 60 (chưa đạt, 1,7%)" in text
    data = json.loads(run("funnel", "--org", "DB-112", "--as-of", "2024-05-25", "--json"))
    assert data["stages"]["voted"] == 1 and sum(data["stages"].values()) == 1
    assert "Chi bộ biểu quyết" in run("funnel", "--org", "DB-112", "--as-of", "2024-05-25")
    with pytest.raises(CommandError):
        run("funnel", "--org", "KHONG", "--as-of", "2024-05-25")
