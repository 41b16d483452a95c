import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from grassroots.interchange.models import ImportJob
from grassroots.members.models import Member
from tests.interchange.history import history, write_package


@pytest.mark.django_db
def test_import_command_shows_progress_and_the_report(tmp_path, editor, capsys):
    folder = write_package(tmp_path / "goi", history(communes=1, members=6))
    call_command("import", str(folder), "--user", editor.username)
    out, err = capsys.readouterr()
    assert "đảng viên mới: 6" in out
    assert "0% (0/" in err and "100% (" in err
    assert Member.objects.count() == 6
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED and job.created_by == editor
    # One audit entry sums the import up, in the name of the user.
    summary = LogEntry.objects.get_for_object(job).filter(changes__has_key="member_events")
    assert summary.count() == 1
    assert summary.get().actor == editor


@pytest.mark.django_db
def test_import_command_fails_on_errors(tmp_path, capsys):
    tables = history(communes=1, members=2)
    tables["members.csv"][0][3] = "01-01-1990"
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import", str(write_package(tmp_path / "goi", tables)))
    out, _ = capsys.readouterr()
    assert "members.csv:2: birth_date: ngày không hợp lệ: '01-01-1990'" in out
    assert not Member.objects.exists()
    assert ImportJob.objects.get().status == ImportJob.Status.REJECTED


@pytest.mark.django_db
def test_export_command_needs_a_known_organisation(tmp_path):
    with pytest.raises(CommandError, match="Không có tổ chức đảng mã 'XX'"):
        call_command("export", "--org", "XX", str(tmp_path / "ra.zip"))
