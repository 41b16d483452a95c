"""``grassroots backup`` / ``grassroots restore``: a backup, a wipe and a restore give back every
table row by row (and the schema: triggers, constraints, sequences), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import ApiToken
from grassroots.accounts.services import api_token_create, user_create
from grassroots.admissions.services import candidate_create
from grassroots.core.audit import acting_as
from grassroots.interchange.models import ImportJob
from grassroots.interchange.services import import_job_create, import_job_run
from grassroots.members.models import EventKind, Member, MemberEvent
from grassroots.members.services import member_event_cancel, member_event_correct, member_move
from grassroots.operations.backup import BackupError, find_program, pg_restore, tables_with_data
from grassroots.ratings.services import rating_record
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mật-khẩu-đủ-dài-1"


def build_everything(tmp_path: Path) -> dict:
    """A registry with everything a backup must keep: users with roles and scopes, an API
    token, a session, a failed login, members with a correction and a cancellation, a member
    without events, a rating, a candidate, an import job with its report, audit entries."""
    admin = user_create(username="quantri", password=PASSWORD, roles=["admin"], is_superuser=True)
    with acting_as(admin):
        reg = factories.registry(user=admin)
        editor = user_create(
            username="bantochuc", password=PASSWORD, roles=["editor"], scope=reg.committee
        )
        user_create(
            username="xanamhang",
            password=PASSWORD,
            roles=["viewer"],
            scope=reg.commune_committee_a,
            full_name="Lò Thị Ánh",
        )
        _token, key = api_token_create(user=editor, name="báo cáo tỉnh")
        moved = factories.member(
            code="M-MOVED",
            full_name="Tao Văn Bình",
            organization=reg.cell_a,
            place=reg.village_a,
            admitted=date(2015, 3, 2),
            confirmed=date(2016, 3, 2),
            user=editor,
        )
        wrong = member_move(
            acting_user=editor,
            member=moved,
            day=date(2018, 1, 1),
            organization=reg.cell_b,
            place=reg.village_b,
        )[0]
        member_event_correct(acting_user=editor, event=wrong, day=date(2018, 2, 1))
        other = factories.member(
            code="M-CANCEL",
            full_name="Lò Thị Cúc",
            gender="female",
            organization=reg.cell_b,
            place=reg.village_b,
            admitted=date(2019, 5, 1),
            user=editor,
        )
        event = MemberEvent.objects.get(member=other, kind=EventKind.ADMITTED)
        member_event_cancel(acting_user=editor, event=event, note="Ghi nhầm người")
        factories.member(code="M-NOEVENTS", full_name="Lường Văn Dũng", user=editor)
        rating_record(
            acting_user=editor,
            period_kind="year",
            period_label="2024",
            organization=reg.cell_a,
            level="good",
            note="Hoàn thành tốt nhiệm vụ",
        )
        candidate_create(
            acting_user=editor,
            code="C-1",
            full_name="Lò Văn Em",
            gender="male",
            birth_date=date(2000, 1, 1),
            source="youth_union",
            organization=reg.cell_a,
            place=reg.village_a,
            identified_on=date(2024, 1, 1),
        )
    job = import_job_create(acting_user=editor, source_name="gói-nhập.zip")
    import_job_run(job=job, source=tmp_path / "không-có.zip")
    client = Client()
    client.force_login(editor)
    assert client.get(reverse("core:home")).status_code == 200
    Client().post(reverse("accounts:login"), {"username": "bantochuc", "password": "sai"})
    return {"key": key}


def all_tables(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    return [name for (name,) in cursor.fetchall()]


def snapshot(cursor, vendor: str) -> dict[str, list]:
    """Every table's rows (sorted), and the schema: SQLite's ``sqlite_master`` (tables, indexes,
    triggers); PostgreSQL's constraints, indexes, triggers, extensions and sequence values. On
    SQLite every value is read as its SQL literal (``quote()``), on PostgreSQL a row as its text
    form, so two connections compare equal whatever their type adapters."""
    out: dict[str, list] = {}
    if vendor == "postgresql":
        cursor.execute("SET TIME ZONE 'UTC'")
    for table in all_tables(cursor, vendor):
        if vendor == "sqlite":
            cursor.execute(f'PRAGMA table_info("{table}")')
            values = ", ".join(f'quote("{column[1]}")' for column in cursor.fetchall())
            cursor.execute(f'SELECT {values} FROM "{table}"')  # noqa: S608
            out[table] = sorted(cursor.fetchall())
        else:
            cursor.execute(f'SELECT t::text FROM "{table}" AS t')  # noqa: S608
            out[table] = sorted(row[0] for row in cursor.fetchall())
    if vendor == "sqlite":
        cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
        out["(schema)"] = sorted(cursor.fetchall(), key=repr)
    else:
        queries = {
            "(constraints)": "SELECT conrelid::regclass::text, conname, "
            "pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = current_schema()::regnamespace",
            "(indexes)": "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema()",
            "(triggers)": "SELECT event_object_table, trigger_name, event_manipulation, "
            "action_statement FROM information_schema.triggers",
            "(extensions)": "SELECT extname FROM pg_extension",
            "(sequences)": "SELECT sequencename, last_value FROM pg_sequences "
            "WHERE schemaname = current_schema()",
        }
        for name, sql in queries.items():
            cursor.execute(sql)
            out[name] = sorted(cursor.fetchall(), key=repr)
        out["(indexes)"] = [(t, n, same_predicate(d)) for t, n, d in out["(indexes)"]]
    return out


def same_predicate(indexdef: str) -> str:
    """A partial index's definition with its predicate's casts and brackets left out:
    PostgreSQL prints a restored predicate with the casts moved (``ANY ((ARRAY['a'::varchar])
    ::text[])`` becomes ``ANY (ARRAY[('a'::varchar)::text])``), the same condition."""
    head, where, predicate = indexdef.partition(" WHERE ")
    return head + where + re.sub(r"::[a-z ]+(\[\])?|[()]", "", predicate)


def live_snapshot() -> dict[str, list]:
    with connection.cursor() as cursor:
        return snapshot(cursor, connection.vendor)


def assert_same(after: dict, before: dict) -> None:
    assert sorted(after) == sorted(before)
    different = [table for table in before if after[table] != before[table]]
    assert different == [], {
        table: {
            "lost": [row for row in before[table] if row not in after[table]][:5],
            "gained": [row for row in after[table] if row not in before[table]][:5],
        }
        for table in different
    }


def assert_everything_is_there(tables: dict[str, list]) -> None:
    """The snapshot holds what the backup must keep (so comparing it proves something)."""
    for table in (
        "accounts_user",
        "accounts_user_groups",
        "accounts_apitoken",
        "auditlog_logentry",
        "members_member",
        "members_memberevent",
        "members_membershipspan",
        "ratings_rating",
        "admissions_candidate",
        "interchange_importjob",
        "django_session",
        "axes_accessattempt",
        "organizations_organizationclosure",
        "core_dataversion",
    ):
        assert tables[table], table
    assert len(tables["accounts_user"]) == 3


def test_backup_wipe_restore_gives_back_every_table(tmp_path):
    built = build_everything(tmp_path)
    # what the registry holds: a correction, a cancellation, a member without events
    assert MemberEvent.objects.filter(supersedes__isnull=False, kind=EventKind.MOVED).count() == 1
    assert MemberEvent.objects.filter(kind=EventKind.CANCELLED).count() == 1
    assert not MemberEvent.objects.filter(member__code="M-NOEVENTS").exists()
    assert ImportJob.objects.get().status == ImportJob.Status.REJECTED
    before = live_snapshot()
    assert_everything_is_there(before)

    path = tmp_path / "grassroots.backup"
    call_command("backup", str(path))
    assert path.stat().st_size > 0

    call_command("flush", interactive=False)  # the wipe
    assert tables_with_data() == []
    assert not Member.objects.exists()

    warnings = io.StringIO()
    call_command("restore", str(path), stderr=warnings)  # an empty database: no --force needed
    assert warnings.getvalue() == ""  # same code, same migrations (squashed ones included)
    assert_same(live_snapshot(), before)
    # and the application reads it again
    assert Member.objects.get(code="M-NOEVENTS").full_name == "Lường Văn Dũng"
    assert ApiToken.objects.filter(key_hash=ApiToken.hash_key(built["key"])).exists()
    corrected = MemberEvent.objects.get(member__code="M-MOVED", supersedes__isnull=False)
    assert corrected.date == date(2018, 2, 1)
    assert corrected.supersedes.date == date(2018, 1, 1)


def test_the_backup_alone_is_a_whole_database(tmp_path):
    """Restored into a fresh database (not the one it came from) the backup gives every table:
    on PostgreSQL into a scratch database created here, compared through a second connection;
    on SQLite the backup file is itself that database."""
    build_everything(tmp_path)
    before = live_snapshot()
    assert_everything_is_there(before)
    path = tmp_path / "grassroots.backup"
    call_command("backup", str(path))
    if connection.vendor == "sqlite":
        with sqlite3.connect(path) as copy:
            assert_same(snapshot(copy.cursor(), "sqlite"), before)
            assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        return
    import psycopg
    from psycopg import sql

    settings = dict(connection.settings_dict)
    scratch = f"{settings['NAME']}_restore"[:63]
    params = {
        "host": settings.get("HOST") or None,
        "port": settings.get("PORT") or None,
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
    }
    params = {k: v for k, v in params.items() if v is not None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        pg_restore({**settings, "NAME": scratch}, path, clean=False)
        with psycopg.connect(dbname=scratch, **params) as fresh:
            assert_same(snapshot(fresh.cursor(), "postgresql"), before)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(scratch))
            )


def test_restore_refuses_a_database_with_data_unless_forced(tmp_path):
    with acting_as(None):
        factories.member(code="M-KEPT", full_name="Lò Văn Giữ")
    path = tmp_path / "before.backup"
    call_command("backup", str(path))
    factories.member(code="M-LATER", full_name="Lò Văn Sau")
    cache.set("figures:marker", 1)

    with pytest.raises(CommandError, match="đang có dữ liệu .*--force"):
        call_command("restore", str(path))
    assert Member.objects.filter(code="M-LATER").exists()  # nothing changed
    assert cache.get("figures:marker") == 1

    call_command("restore", str(path), "--force")
    assert list(Member.objects.values_list("code", flat=True)) == ["M-KEPT"]
    assert cache.get("figures:marker") is None  # the figures cache is cleared


def test_backup_and_restore_refuse_bad_paths_in_vietnamese(tmp_path):
    factories.member(code="M-1")
    path = tmp_path / "a.backup"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="đã có. Chọn tên khác, hoặc thêm --force"):
        call_command("backup", str(path))
    call_command("backup", str(path), "--force")
    with pytest.raises(CommandError, match="Không có thư mục"):
        call_command("backup", str(tmp_path / "no" / "a.backup"))
    with pytest.raises(CommandError, match="Không có tệp sao lưu"):
        call_command("restore", str(tmp_path / "missing.backup"), "--force")
    junk = tmp_path / "junk.backup"
    junk.write_text("không phải bản sao lưu")
    with pytest.raises(CommandError, match="không phải là tệp sao lưu của Grassroots"):
        call_command("restore", str(junk), "--force")
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
        message = "là bản sao lưu PostgreSQL, còn cơ sở dữ liệu đang dùng là SQLite"
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
        message = "là bản sao lưu SQLite, còn cơ sở dữ liệu đang dùng là PostgreSQL"
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(other), "--force")
    assert Member.objects.filter(code="M-1").exists()


def test_missing_postgresql_programs_are_named_in_vietnamese(tmp_path, monkeypatch):
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path))
    with pytest.raises(BackupError, match="Không tìm thấy chương trình pg_dump của PostgreSQL"):
        find_program("pg_dump")
    if connection.vendor == "postgresql":
        with pytest.raises(CommandError, match="apt-get install postgresql-client"):
            call_command("backup", str(tmp_path / "x.backup"))
        assert not (tmp_path / "x.backup").exists()


def test_restore_says_when_the_backup_needs_migrate_or_is_newer(tmp_path):
    """A backup of an older version (a migration not recorded) asks for ``migrate``; one of a
    newer version (a migration this code lacks) is reported."""
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="members").order_by("-id").first()
    try:
        last.delete()
        recorder.record_applied("ratings", "9999_from_the_future")
        path = tmp_path / "old.backup"
        call_command("backup", str(path))
        out, err = io.StringIO(), io.StringIO()
        call_command("restore", str(path), "--force", stdout=out, stderr=err)
    finally:
        recorder.record_unapplied("ratings", "9999_from_the_future")
        recorder.record_applied("members", last.name)
    assert "còn 1 thay đổi cấu trúc chưa áp dụng. Chạy `grassroots migrate`" in out.getvalue()
    assert "ratings.9999_from_the_future" in err.getvalue()


def test_the_interchange_export_is_not_a_backup(reg):
    """What docs/operations.md says the export drops: the correction history and members
    without events (the backup keeps both, test above)."""
    from grassroots.interchange.exporter import export_tables

    moved = factories.member(
        code="M-MOVED", organization=reg.cell_a, place=reg.village_a, admitted=date(2015, 3, 2)
    )
    wrong = member_move(
        acting_user=None, member=moved, day=date(2018, 1, 1), organization=reg.cell_b
    )[0]
    member_event_correct(acting_user=None, event=wrong, day=date(2018, 2, 1))
    factories.member(code="M-NOEVENTS")
    tables = export_tables(reg.province_committee)
    members = [row[0] for row in tables["members.csv"][1]]
    events = [(row[0], row[1], row[2]) for row in tables["member_events.csv"][1]]
    assert "M-NOEVENTS" not in members
    assert events == [("M-MOVED", "2015-03-02", "admitted"), ("M-MOVED", "2018-02-01", "moved")]
    assert MemberEvent.objects.filter(member=moved).count() == 3  # the database keeps all
