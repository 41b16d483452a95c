"""``grassroots createuser``: an administrator sets up a commune's staff from the command line."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from grassroots.accounts.models import User

PASSWORD = "mật-khẩu-đủ-dài-1"
ROOT = Path(__file__).resolve().parent.parent.parent


def create(*args, **kwargs) -> str:
    out = StringIO()
    call_command("createuser", *args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


def test_creates_a_user_with_roles_scope_and_the_password_of_the_file(reg, password_file):
    out = create(
        "xa_namhang",
        "--role",
        "editor",
        "--role",
        "viewer",
        "--scope",
        "DU-03434",
        "--full-name",
        "Lò Thị Mai",
        "--password-file",
        str(password_file),
    )
    user = User.objects.get(username="xa_namhang")
    assert "Đã tạo người dùng 'xa_namhang'" in out and "DU-03434" in out
    assert user.scope.code == "DU-03434" and user.full_name == "Lò Thị Mai"
    assert user.has_role("editor") and not user.is_superuser and user.is_active
    assert set(user.groups.values_list("name", flat=True)) == {"editor", "viewer"}
    assert user.check_password(PASSWORD)
    entry = LogEntry.objects.get_for_object(user).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes_dict["scope"] == ["", "DU-03434"]
    assert entry.changes_dict["roles"] == ["", "editor, viewer"]


def test_the_creator_named_by_by_is_the_actor_of_the_audit_entry(reg, password_file, admin_user):
    create(
        "xem",
        "--role=viewer",
        "--scope=DU-03460",
        f"--password-file={password_file}",
        f"--by={admin_user.username}",
    )
    entry = LogEntry.objects.get_for_object(User.objects.get(username="xem")).get()
    assert entry.actor == admin_user


def test_prompts_twice_without_a_file(reg, monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    prompts = []

    def fake_getpass(prompt=""):
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    create("hoi", "--role", "viewer", "--scope", "DU-03434")
    assert prompts == ["Mật khẩu: ", "Nhập lại mật khẩu: "]
    assert User.objects.get(username="hoi").check_password(PASSWORD)


def test_two_different_answers_create_nobody(reg, monkeypatch):
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="không khớp"):
        create("hoi", "--role", "viewer", "--scope", "DU-03434")
    assert not User.objects.filter(username="hoi").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "chief", "--scope", "DU-03434"], "Không có vai trò chief"),
        (["--scope", "DU-03434"], "Cần ít nhất một vai trò"),
        (["--role", "editor", "--scope", "DU-99999"], "Không có tổ chức đảng mã 'DU-99999'"),
    ],
)
def test_refuses_an_unknown_role_or_scope_before_asking_a_password(reg, monkeypatch, args, message):
    def no_prompt(prompt=""):
        raise AssertionError("asked for a password")

    monkeypatch.setattr("getpass.getpass", no_prompt)
    with pytest.raises(CommandError, match=message):
        create("moi", *args)
    assert not User.objects.filter(username="moi").exists()
    assert not LogEntry.objects.filter(content_type__model="user").exists()


def test_refuses_a_taken_login_and_a_weak_password(reg, tmp_path, make_user, password_file):
    make_user("da_co")
    with pytest.raises(CommandError, match="'DA_CO' đã có người dùng"):
        create("DA_CO", "--role=viewer", "--scope=DU-03434", f"--password-file={password_file}")
    weak = tmp_path / "weak.txt"
    weak.write_text("123\n")
    with pytest.raises(CommandError) as refused:
        create("moi", "--role=viewer", "--scope=DU-03434", f"--password-file={weak}")
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in str(refused.value)
    assert "This password" not in str(refused.value)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(CommandError, match="Tệp mật khẩu trống"):
        create("moi", "--role=viewer", "--scope=DU-03434", f"--password-file={empty}")
    with pytest.raises(CommandError, match="Không đọc được tệp mật khẩu"):
        create("moi", "--role=viewer", "--scope=DU-03434", f"--password-file={tmp_path / 'x'}")
    assert not User.objects.filter(username="moi").exists()


def test_the_command_line_exits_non_zero_with_the_vietnamese_message(tmp_path):
    """The console script itself: an unknown role is refused before the database is read."""
    env = {
        **os.environ,
        "GRASSROOTS_VAR": str(tmp_path),
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "grassroots", "createuser", "ai", "--role", "chief", "--scope", "X"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Không có vai trò chief" in result.stderr
    assert "Traceback" not in result.stderr
