import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grassroots.interchange.models import ImportJob
from grassroots.members.models import Member
from tests.interchange.history import history, write_package


def _zip(folder) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"goi/{path.name}")
    return buffer.getvalue()


@pytest.fixture
def small_zip(tmp_path):
    return _zip(write_package(tmp_path / "goi", history(communes=1, villages=3, members=8)))


@pytest.mark.django_db
def test_upload_runs_the_import_and_shows_the_report(
    client, editor, small_zip, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    page = client.get(reverse("interchange:upload"))
    assert page.status_code == 200
    assert "Nhập gói dữ liệu" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("interchange:upload"),
            {"file": SimpleUploadedFile("goi.zip", small_zip, content_type="application/zip")},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interchange:job", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED  # the ImmediateBackend ran the task inline
    assert job.progress_done == job.progress_total > 0
    assert job.created_by == editor
    assert Member.objects.count() == 8

    page = client.get(response["Location"]).content.decode()
    assert "Hoàn tất" in page
    assert "đảng viên mới: 8" in page
    assert "hx-trigger" not in page  # finished: the fragment stops polling

    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "đảng viên mới: 8" in fragment


@pytest.mark.django_db
def test_running_job_fragment_polls_every_second(client, editor):
    job = ImportJob.objects.create(
        source_name="goi.zip",
        created_by=editor,
        status=ImportJob.Status.RUNNING,
        progress_done=30,
        progress_total=120,
    )
    client.force_login(editor)
    fragment = client.get(
        reverse("interchange:job", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert '<progress value="30" max="120">' in fragment
    assert "(25%)" in fragment


@pytest.mark.django_db
def test_upload_with_errors_lists_them_and_changes_nothing(
    client, editor, tmp_path, django_capture_on_commit_callbacks
):
    tables = history(communes=1, villages=3, members=4)
    tables["places.csv"][0][2] = "kingdom"
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("interchange:upload"),
            {"file": SimpleUploadedFile("goi.zip", _zip(write_package(tmp_path / "p", tables)))},
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    page = client.get(reverse("interchange:job", args=[job.pk])).content.decode()
    assert "<code>places.csv:2</code>: kind: loại không hợp lệ: kingdom." in page
    assert Member.objects.count() == 0


@pytest.mark.django_db
def test_upload_refuses_other_files(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("interchange:upload"), {"file": SimpleUploadedFile("goi.pdf", b"%PDF")}
    )
    assert response.status_code == 200
    assert "Chỉ nhận tệp .zip" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_viewer_may_not_upload(client, make_user, small_zip):
    client.force_login(make_user("xem", roles=["viewer"]))
    assert client.get(reverse("interchange:upload")).status_code == 403
    response = client.post(
        reverse("interchange:upload"), {"file": SimpleUploadedFile("goi.zip", small_zip)}
    )
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_jobs_of_other_users_are_not_found(client, editor, make_user):
    job = ImportJob.objects.create(source_name="goi.zip", created_by=editor)
    client.force_login(make_user("khac", roles=["editor"]))
    assert client.get(reverse("interchange:job", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_export_downloads_a_zip_of_a_visible_organisation(client, make_user, reg):
    user = make_user("xem", roles=["viewer"], scope=reg.committee)
    client.force_login(user)
    response = client.get(reverse("interchange:export"), {"organization": "DU-03434"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "grassroots-DU-03434-" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        organizations = archive.read("organizations.csv").decode()
    assert "CB-V1" in organizations
    assert "CB-V2" not in organizations  # another commune's cell

    outside = client.get(reverse("interchange:export"), {"organization": "DB-12"})
    assert outside.status_code == 404


@pytest.mark.django_db
def test_jobs_list_exports_the_users_own_jobs(client, editor, make_user):
    from io import BytesIO

    from openpyxl import load_workbook

    ImportJob.objects.create(source_name="cua-toi.zip", created_by=editor, progress_total=5)
    ImportJob.objects.create(source_name="cua-nguoi-khac.zip", created_by=make_user("khac2"))
    client.force_login(editor)
    page = client.get(reverse("interchange:jobs"))
    assert "cua-toi.zip" in page.content.decode()
    assert "cua-nguoi-khac.zip" not in page.content.decode()
    response = client.get(reverse("interchange:jobs"), {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Thời gian", "Nguồn", "Người nhập", "Trạng thái")
    assert [r[1] for r in rows[1:]] == ["cua-toi.zip"]


@pytest.mark.django_db
def test_export_csv_files_carry_a_byte_order_mark_for_excel(client, make_user, reg):
    client.force_login(make_user("xem", roles=["viewer"], scope=reg.committee))
    response = client.get(reverse("interchange:export"), {"organization": "DU-03434"})
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        for name in archive.namelist():
            assert archive.read(name).startswith(b"\xef\xbb\xbf"), name


@pytest.mark.django_db
def test_export_page_offers_xlsx_and_the_download_is_a_workbook(client, make_user, reg):
    from openpyxl import load_workbook

    client.force_login(make_user("bientap", roles=["editor"], scope=reg.committee))
    page = client.get(reverse("interchange:upload")).content.decode()
    assert 'name="format" value="xlsx"' in page
    response = client.get(
        reverse("interchange:export"), {"organization": "DU-03434", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert "organizations" in workbook.sheetnames
    codes = [row[0] for row in workbook["organizations"].iter_rows(values_only=True)]
    assert "CB-V1" in codes


@pytest.mark.django_db
def test_upload_page_lists_the_columns_with_vietnamese_labels(client, editor):
    client.force_login(editor)
    page = client.get(reverse("interchange:upload")).content.decode()
    assert "<code>full_name</code>* (họ và tên)" in page
    assert "male (nam)" in page and "female (nữ)" in page
    assert "admitted (kết nạp)" in page
