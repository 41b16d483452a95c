"""Imports that cannot take the machine down, and packages of events only (issue 17)."""

import io
import os
import socket
import subprocess
import sys
import time
import unicodedata
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from grassroots import policy
from grassroots.core import legacy
from grassroots.interchange.forms import ImportUploadForm
from grassroots.interchange.limits import PackageError, open_member, size_text
from grassroots.interchange.models import ImportJob
from grassroots.interchange.reader import read_package
from grassroots.interchange.services import import_job_create, import_jobs_recover
from grassroots.interchange.tasks import LARGE_QUEUE, enqueue_import_job
from grassroots.members.models import Member, MemberEvent, MembershipSpan
from tests.interchange.test_importer import row_counts, write_text


@pytest.mark.django_db
def test_a_package_of_events_only_validates_against_the_stored_members(tmp_path, run_import, reg):
    from tests.factories import member

    member(code="M9", organization=reg.cell_a, place=reg.village_a, admitted=date(2014, 1, 1),
           confirmed=date(2015, 1, 10))  # fmt: skip
    report = run_import(
        write_text(
            tmp_path / "goi",
            {"member_events.csv": "member_id,date,event,reason\nM9,2020-03-01,left,died\n"},
        )
    )
    assert report.ok, report.as_text()
    assert report.created["member_events"] == 1
    assert MemberEvent.objects.filter(member__code="M9", kind="left").count() == 1
    last = MembershipSpan.objects.filter(member__code="M9").order_by("valid_from").last()
    assert last.valid_to == date(2020, 3, 1)
    assert last.organization == reg.cell_a


@pytest.mark.django_db
def test_an_invalid_package_of_events_only_is_refused_row_by_row(tmp_path, run_import, reg):
    from tests.factories import member

    member(code="M9", organization=reg.cell_a, place=reg.village_a, admitted=date(2014, 1, 1),
           confirmed=date(2015, 1, 10))  # fmt: skip
    before = row_counts()
    report = run_import(
        write_text(
            tmp_path / "goi",
            {
                "member_events.csv": "member_id,date,event,reason\n"
                "M9,2013-03-01,left,died\n"
                "M8,2020-03-01,left,died\n"
            },
        )
    )
    assert [str(p) for p in report.errors] == [
        "member_events.csv:2: event: Sự kiện 'ra khỏi danh sách' ngày 01/03/2013 không hợp lệ: "
        "người này không phải là đảng viên vào ngày đó.",
        "member_events.csv:3: member_id: không có đảng viên M8 trong members.csv hay trong hệ "
        "thống.",
    ]
    assert row_counts() == before


# -- limits --------------------------------------------------------------------------------


def _bomb(path, size=32 * 1024 * 1024):
    """A small .zip whose members.csv expands to ``size`` NUL bytes."""
    block = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("goi/members.csv", "w") as handle,
    ):
        for _ in range(size >> 20):
            handle.write(block)
    return path


@pytest.fixture
def limits(settings):
    """Set policy limits for one test: ``limits(IMPORT_MAX_ROWS=5)``."""

    def set_limits(**values):
        settings.GRASSROOTS_POLICY = {**getattr(settings, "GRASSROOTS_POLICY", {}), **values}

    return set_limits


@pytest.mark.django_db
def test_a_bomb_zip_is_refused_by_its_ratio_before_anything_is_decompressed(tmp_path, run_import):
    path = _bomb(tmp_path / "bom.zip")
    assert path.stat().st_size < 200_000
    before = row_counts()
    report = run_import(path)
    assert [p.message for p in report.errors] == [
        "Tệp bom.zip bị từ chối: tệp goi/members.csv nén "
        f"{size_text(zipfile.ZipFile(path).getinfo('goi/members.csv').compress_size)} nhưng "
        "giải nén ra 32 MB (gấp hơn 100 lần), không giống một gói dữ liệu CSV."
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_the_total_decompressed_size_is_limited(tmp_path, run_import, limits):
    limits(IMPORT_MAX_UNPACKED_BYTES=1000)
    folder = write_text(tmp_path / "goi", {"members.csv": _members(40)})
    path = tmp_path / "goi.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.write(folder / "members.csv", "members.csv")
    report = run_import(path)
    assert [p.message for p in report.errors] == [
        "Tệp goi.zip bị từ chối: khi giải nén vượt quá 1000 byte. Hãy chia gói dữ liệu thành "
        "nhiều gói nhỏ hơn."
    ]
    assert not Member.objects.exists()


def test_a_file_longer_than_its_declared_size_is_cut_off_while_streaming(tmp_path):
    path = tmp_path / "goi.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("members.csv", b"member_id\n" + b"M1\n" * 1000)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("members.csv")
        info.file_size = 100  # a directory that lies about the size
        with (
            pytest.raises(PackageError, match="dài hơn kích thước khai báo"),
            open_member(archive, info) as handle,
        ):
            handle.read()


@pytest.mark.django_db
def test_a_file_with_too_many_rows_is_refused_before_it_is_read(tmp_path, run_import, limits):
    limits(IMPORT_MAX_ROWS=5)
    report = run_import(write_text(tmp_path / "goi", {"members.csv": _members(6)}))
    assert [p.message for p in report.errors] == [
        "Tệp members.csv có hơn 5 dòng, vượt giới hạn của một lần nhập. Hãy chia tệp thành "
        "nhiều gói nhỏ hơn."
    ]
    assert not Member.objects.exists()
    assert run_import(write_text(tmp_path / "nho", {"members.csv": _members(5)})).ok


@pytest.mark.django_db
def test_a_sheet_with_too_many_rows_is_refused(tmp_path, run_import, limits):
    from openpyxl import Workbook

    limits(IMPORT_MAX_SHEET_ROWS=3)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "members"
    for line in _members(4).splitlines():
        sheet.append(line.split(","))
    workbook.save(tmp_path / "goi.xlsx")
    report = run_import(tmp_path / "goi.xlsx")
    assert [p.message for p in report.errors] == [
        "Trang members có hơn 3 dòng, vượt giới hạn của một trang .xlsx. Hãy nhập gói dữ liệu "
        "dạng .zip chứa các tệp CSV."
    ]
    assert not Member.objects.exists()


def _members(n: int) -> str:
    rows = "".join(f"M{i},Lò Văn Ánh,male,1990-05-01\n" for i in range(n))
    return "member_id,full_name,gender,birth_date\n" + rows


# -- the web upload ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_while_it_arrives(client, editor, settings, tmp_path,
                                                          monkeypatch):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("GRASSROOTS_IMPORT_MAX_UPLOAD_BYTES", "10000")
    client.force_login(editor)
    response = client.post(
        reverse("interchange:upload"),
        {"file": SimpleUploadedFile("goi.zip", b"x" * 20_000, content_type="application/zip")},
    )
    assert response.status_code == 200
    assert (
        "Tệp goi.zip quá lớn: mỗi lần chỉ được tải lên tối đa 9,8 KB. Hãy chia gói dữ liệu "
        "thành nhiều gói nhỏ hơn." in response.content.decode()
    )
    assert not ImportJob.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.zip"))


def test_the_form_refuses_an_oversized_file(limits):
    limits(IMPORT_MAX_UPLOAD_BYTES=100)
    form = ImportUploadForm(
        {}, {"file": SimpleUploadedFile("goi.zip", b"x" * 101, content_type="application/zip")}
    )
    assert form.errors["file"] == [
        "Tệp goi.zip quá lớn: mỗi lần chỉ được tải lên tối đa 100 byte. Hãy chia gói dữ liệu "
        "thành nhiều gói nhỏ hơn."
    ]


@pytest.mark.django_db
def test_a_bomb_upload_is_refused_by_the_form_and_no_job_is_queued(client, editor, tmp_path,
                                                                    settings):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(editor)
    response = client.post(
        reverse("interchange:upload"),
        {"file": SimpleUploadedFile("bom.zip", _bomb(tmp_path / "bom.zip").read_bytes())},
    )
    assert response.status_code == 200
    assert "giải nén ra 32 MB (gấp hơn 100 lần)" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_the_uploaded_file_is_deleted_when_its_job_ends(
    client, editor, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(editor)
    folder = write_text(tmp_path / "goi", {"members.csv": _members(2)})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(folder / "members.csv", "members.csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("interchange:upload"),
            {"file": SimpleUploadedFile("goi.zip", buffer.getvalue())},
        )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert not job.file
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


@pytest.mark.django_db
def test_a_large_upload_runs_on_the_queue_of_large_imports(editor, settings, limits, tmp_path):
    from django_tasks_db.models import DBTaskResult

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", LARGE_QUEUE],
        }
    }
    limits(IMPORT_LARGE_BYTES=1000)

    def package(rows: int) -> SimpleUploadedFile:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("members.csv", _members(rows))
        return SimpleUploadedFile("goi.zip", buffer.getvalue())

    small = import_job_create(acting_user=editor, upload=package(10))  # under 1,000 bytes unpacked
    large = import_job_create(acting_user=editor, upload=package(100))  # over 1,000 unpacked
    assert large.file.size < 1000
    enqueue_import_job(small)
    enqueue_import_job(large)
    queues = {r.args_kwargs["args"][0]: r.queue_name for r in DBTaskResult.objects.all()}
    assert queues == {small.pk: "default", large.pk: LARGE_QUEUE}


# -- jobs whose worker died ----------------------------------------------------------------


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.django_db
def test_a_job_whose_worker_died_is_failed_at_the_next_start(tmp_path, settings, editor):
    settings.MEDIA_ROOT = tmp_path / "media"
    job = import_job_create(acting_user=editor, upload=SimpleUploadedFile("goi.zip", b"PK"))
    staging = tmp_path / "grassroots-import-x"
    staging.mkdir()
    (staging / "staging.sqlite3").write_bytes(b"x" * 100)
    stored = Path(job.file.path)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        worker=f"{socket.gethostname()}:{_dead_pid()}",
        staging=str(staging),
    )
    alive = ImportJob.objects.create(
        source_name="đang chạy",
        status=ImportJob.Status.RUNNING,
        worker=f"{socket.gethostname()}:{os.getppid()}",
    )
    out = io.StringIO()
    call_command("import_cleanup", stdout=out)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "Tiến trình nhập đã dừng giữa chừng" in job.report_text
    assert not staging.exists()
    assert not stored.exists() and not job.file
    assert ImportJob.objects.get(pk=alive.pk).status == ImportJob.Status.RUNNING
    assert "1 lần nhập được đánh dấu thất bại" in out.getvalue()


@pytest.mark.django_db
def test_cleanup_deletes_files_left_past_the_days_kept(tmp_path, settings, editor):
    settings.MEDIA_ROOT = tmp_path / "media"
    old = import_job_create(acting_user=editor, upload=SimpleUploadedFile("cu.zip", b"PK"))
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=policy.get("IMPORT_KEEP_DAYS") + 1)
    )
    fresh = import_job_create(acting_user=editor, upload=SimpleUploadedFile("moi.zip", b"PK"))
    orphan = Path(fresh.file.path).with_name("mo-coi.zip")
    orphan.write_bytes(b"PK")
    stamp = time.time() - (policy.get("IMPORT_KEEP_DAYS") + 1) * 86400
    os.utime(orphan, (stamp, stamp))
    import_jobs_recover()
    old.refresh_from_db()
    assert old.status == ImportJob.Status.FAILED and not old.file
    assert not orphan.exists()
    assert Path(fresh.file.path).exists()  # still queued, within the days kept


# -- legacy CSV, a chunk at a time ---------------------------------------------------------

NAMES = ["Lò Văn Minh", "Nguyễn Thị Hường", "Trần Đức Thắng", "Phạm Quỳnh Anh", "Hà Văn Ưng"]


class _Counting(io.BytesIO):
    """A file that records the sizes asked for, and refuses to be read whole."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size=-1):
        assert size is not None and size > 0, "read whole"
        self.asked.append(size)
        return super().read(size)


def _cp1258(text: str) -> bytes:
    """Windows-1258: precomposed letters where the code page has them, else base + tone."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            try:
                out += (base + "".join(marks[:-1])).encode("cp1258")
            except UnicodeEncodeError:
                out += unicodedata.normalize("NFC", base + "".join(marks[:-1])).encode("cp1258")
            out += marks[-1].encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("encoding", [legacy.TCVN3, legacy.VNI, "cp1258"])
def test_legacy_csv_is_decoded_a_chunk_at_a_time(encoding):
    text = "member_id,full_name\r\n" + "".join(
        f"M{i},{NAMES[i % len(NAMES)]}\r\n" for i in range(3000)
    )
    if encoding == "cp1258":
        data = _cp1258(text)
    else:
        data = legacy.from_unicode(text, encoding).encode("cp1252")
    whole, expected = legacy.decode_bytes(data)
    assert expected == encoding and whole == text

    sniffed = _Counting(data)
    assert legacy.sniff_encoding(legacy.read_chunks(sniffed, 4096)) == encoding
    handle = _Counting(data)
    pieces = list(legacy.decode_chunks(legacy.read_chunks(handle, 4096), encoding))
    assert "".join(pieces) == text
    # a piece is at most a chunk and the end of the line it cut
    assert len(pieces) > 10 and max(len(p) for p in pieces) <= 4096 + 64
    assert all(p.endswith("\n") for p in pieces)  # cut at line breaks only
    assert set(handle.asked) == {4096}

    lines = list(legacy.decode_lines(_Counting(data), encoding, 4096))
    assert lines[2] == f"M1,{NAMES[1]}\r\n"


def test_a_legacy_file_in_a_package_is_streamed(tmp_path):
    text = _members(2000).replace(",male,", ",male,").replace("Lò Văn Ánh", "Nguyễn Thị Hường")
    (tmp_path / "goi").mkdir()
    (tmp_path / "goi" / "members.csv").write_bytes(
        legacy.from_unicode(text, legacy.TCVN3).encode("cp1252")
    )
    package = read_package(tmp_path / "goi")
    table = package.tables["members.csv"]
    assert table.streamed and table.encoding == legacy.TCVN3
    rows = table.rows
    assert rows[0] == (
        2,
        {"member_id": "M0", "full_name": "Nguyễn Thị Hường", "gender": "male",
         "birth_date": "1990-05-01"},
    )  # fmt: skip
    assert len(rows) == 2000
    assert [str(c) for c in package.conversions] == [
        "cột full_name (members.csv): đã chuyển từ TCVN3 sang Unicode"
    ]


def test_a_legacy_single_table_upload_is_decoded_a_chunk_at_a_time(monkeypatch):
    from grassroots.core import tables

    data = legacy.from_unicode("ma,ten\nA1,Nguyễn Thị Hường\n", legacy.VNI).encode("cp1252")
    upload = _Counting(data)
    table = tables.read_upload_table(upload, "diem.csv")
    assert table.rows == [(2, {"ma": "A1", "ten": "Nguyễn Thị Hường"})]
    assert upload.asked and min(upload.asked) > 0
