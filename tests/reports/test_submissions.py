import hashlib
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from grassroots.core.errors import NotFound
from grassroots.members import services as member_services
from grassroots.reports.models import Submission
from grassroots.reports.services import canonical, compare, submit
from tests import factories

pytestmark = pytest.mark.django_db

COVERAGE = {"organization": "DU-03434", "as_of": "2020-12-31"}


def _run(*args) -> dict:
    out = StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


def _members(reg, n=2):
    return [
        factories.member(
            full_name=f"Lò Văn {i}",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2014, 1, 10),
            confirmed=date(2015, 1, 10),
        )
        for i in range(n)
    ]


def test_submit_freezes_the_figure_with_its_hash(reg):
    _members(reg)
    submission = submit("coverage", COVERAGE, None)
    assert submission.organization == reg.commune_committee_a
    assert submission.report_day == date(2020, 12, 31)
    assert submission.report["members"]["official"] == 2
    assert submission.params == COVERAGE
    expected = canonical({"figure": "coverage", "params": COVERAGE, "report": submission.report})
    assert submission.content == expected
    assert submission.sha256 == hashlib.sha256(expected.encode()).hexdigest()


def test_update_and_delete_fail_in_the_database(reg):
    submission = submit("coverage", COVERAGE, None)
    with pytest.raises(DatabaseError), transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(content="{}")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE reports_submission SET sha256 = 'x'")
    with pytest.raises(DatabaseError), transaction.atomic():
        Submission.objects.filter(pk=submission.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_submission")
    again = Submission.objects.get(pk=submission.pk)
    assert again.content == submission.content and again.sha256 == submission.sha256


def test_command_submit_then_read_back_byte_identical_after_corrections(reg):
    (first, second) = _members(reg)
    sent = _run(
        "report", "coverage", "--org", "DU-03434", "--as-of", "2020-12-31", "--json", "--submit"
    )
    assert list(sent) == ["submission", "sha256", "report"]
    assert sent["report"]["members"]["official"] == 2
    stored = Submission.objects.get(pk=sent["submission"]).content

    # a year of corrections: a death in 2019 recorded after the sending, a new admission
    member_services.member_leave(
        acting_user=None, member=first, day=date(2019, 3, 1), reason="died"
    )
    factories.member(
        full_name="Lò Thị Mới",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2020, 6, 1),
    )
    again = _run("submission", str(sent["submission"]), "--json")
    assert again == sent
    assert Submission.objects.get(pk=sent["submission"]).content == stored

    compared = _run("submission", str(sent["submission"]), "--compare", "--json")
    assert list(compared) == ["submission", "sha256", "differences", "corrections"]
    assert compared["sha256"] == sent["sha256"]
    diffs = {d["path"]: (d["sent"], d["now"]) for d in compared["differences"]}
    assert diffs["members.official"] == (2, 1)
    assert diffs["members.probationary"] == (0, 1)
    kinds = [(c["kind"], c["member_id"], c["date"]) for c in compared["corrections"]]
    assert ("member_event", first.code, "2019-03-01") in kinds
    assert all(c["recorded_at"] for c in compared["corrections"])
    assert second.code not in {c["member_id"] for c in compared["corrections"]}


def test_compare_without_changes_lists_nothing(reg):
    _members(reg)
    submission = submit("coverage", COVERAGE, None)
    result = compare(submission)
    assert result["differences"] == [] and result["corrections"] == []


def test_bad_input_is_a_clear_message_and_writes_nothing(reg):
    with pytest.raises(CommandError, match="Không tìm thấy tổ chức đảng"):
        call_command("report", "coverage", "--org", "NOPE", "--as-of", "2020-12-31", "--submit")
    with pytest.raises(CommandError, match="--as-of"):
        call_command("report", "coverage", "--org", "DU-03434", "--as-of", "31/12", "--submit")
    with pytest.raises(CommandError, match="Không tìm thấy báo cáo đã gửi"):
        call_command("submission", "999")
    assert not Submission.objects.exists()


def test_scope_sender_must_hold_the_organisation(reg, make_user):
    other = make_user("xb", roles=["editor"], scope=reg.commune_committee_b)
    with pytest.raises(NotFound):
        submit("coverage", COVERAGE, other)
    reader = make_user("xa_reader", roles=["viewer"], scope=reg.commune_committee_a)
    with pytest.raises(NotFound):
        submit("coverage", COVERAGE, reader)
    own = make_user("xa", roles=["editor"], scope=reg.commune_committee_a, full_name="Cán bộ xã")
    submission = submit("coverage", COVERAGE, own)
    assert submission.submitted_by == own and submission.submitted_by_name == "Cán bộ xã"
    province = make_user("tinh", roles=["viewer"], scope=reg.province_committee)
    assert list(Submission.objects.visible_to(province)) == [submission]
    assert not Submission.objects.visible_to(other).exists()


@pytest.mark.django_db(transaction=True)
def test_only_a_whole_database_flush_removes_sent_reports():
    reg = factories.registry()
    submit("coverage", COVERAGE, None)
    with pytest.raises(DatabaseError), transaction.atomic():
        Submission.objects.all().delete()
    call_command("flush", interactive=False, verbosity=0)
    assert not Submission.objects.exists()
    assert reg.cell_a.pk  # the registry went with it
