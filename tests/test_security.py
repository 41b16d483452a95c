"""What held up when the system was attacked (issue 17's "good news"), kept as tests: stored
names are escaped on every page that shows them, SQL-injection probes find and change nothing,
every form needs its CSRF token, open redirects are refused, the session is rotated at login,
and ``kill -9`` in the middle of an import leaves the registry as it was."""

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.core import dataversion
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert('xss')</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
PROBES = ("' OR 1=1 --", '" OR ""="', "1; DROP TABLE members_member; --", "%' UNION SELECT 1 --")


@pytest.fixture
def hostile(reg, make_user):
    from grassroots.organizations.services import organization_rename

    member = factories.member(
        full_name=f"Lò {SCRIPT}",
        organization=reg.cell_a,
        place=reg.village_a,
        admitted=date(2020, 1, 2),
        code="XSS-1",
    )
    organization_rename(
        acting_user=None, organization=reg.cell_a, name=f"Chi bộ {ATTRIBUTE}", day=date(2020, 1, 1)
    )
    editor = make_user("bientap", roles=["editor"], scope=reg.committee)
    return reg, member, editor


@pytest.mark.django_db
def test_stored_names_are_escaped_on_every_page_that_shows_them(client, hostile):
    reg, member, editor = hostile
    client.force_login(editor)
    pages = [
        reverse("members:list"),
        reverse("members:detail", args=[member.code]),
        reverse("members:pick") + "?q=lo",
        reverse("organizations:tree"),
        reverse("organizations:detail", args=[reg.cell_a.code]),
        reverse("statistics:dashboard") + f"?organization={reg.commune_committee_a.code}",
        reverse("statistics:drilldown")
        + f"?organization={reg.commune_committee_a.code}&figure=coverage.members.probationary",
    ]
    shown = 0
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SCRIPT not in body, f"{url} prints a stored <script>"
        assert ATTRIBUTE not in body, f"{url} prints a stored attribute breakout"
        shown += "&lt;script&gt;" in body or "&quot;&gt;&lt;img" in body
    assert shown >= 4, "the hostile names should be shown, escaped, on most of these pages"


@pytest.mark.django_db
def test_sql_injection_probes_find_nothing_and_change_nothing(client, hostile):
    reg, member, editor = hostile
    client.force_login(editor)
    token = dataversion.token()
    for probe in PROBES:
        page = client.get(reverse("members:list"), {"search": probe})
        assert page.status_code == 200
        assert member.code not in page.content.decode()
        api = client.get("/api/v1/members/", {"search": probe})
        assert api.status_code == 200 and api.json()["count"] == 0
        assert client.get(reverse("members:pick"), {"q": probe}).status_code == 200
        assert client.get(f"/api/v1/members/{probe}").status_code in (404, 422)
    assert dataversion.token() == token, "a probe changed data"


@pytest.mark.django_db
def test_every_form_refuses_a_post_without_its_csrf_token(hostile):
    reg, member, editor = hostile
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    token = dataversion.token()
    for url in (
        reverse("members:create"),
        reverse("members:edit", args=[member.code]),
        reverse("organizations:change", args=[reg.cell_a.code]),
        reverse("core:set_as_of"),
        reverse("accounts:logout"),
        reverse("accounts:password_change"),
    ):
        assert client.post(url, {"full_name": "x", "as_of": "2020-01-01"}).status_code == 403, url
    assert dataversion.token() == token


@pytest.mark.django_db
def test_open_redirects_are_refused_and_the_session_is_rotated_at_login(client, make_user):
    make_user("lvquan", password="mật-khẩu-đủ-dài-1")
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "lvquan", "password": "mật-khẩu-đủ-dài-1"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert client.session.session_key != before, "the session key must change at login"
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = client.post(reverse("core:set_as_of"), {"as_of": "2020-01-01", "next": target})
        assert "evil.example" not in response["Location"], target


def _registry_rows(path: Path) -> dict[str, int]:
    tables = ("places_place", "organizations_organization", "members_member",
              "members_memberevent", "members_membershipspan", "organizations_organizationclosure")  # fmt: skip
    with sqlite3.connect(path) as db:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the import process brings its own SQLite database; it runs once, in the SQLite pass",
)
def test_kill_9_in_the_middle_of_an_import_leaves_the_registry_as_it_was(tmp_path):
    """A real import process (its own SQLite file), killed with SIGKILL once it reports progress:
    the import is one transaction, so nothing of it is left — then the same package imports."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GRASSROOTS_VAR")}
    database = tmp_path / "db.sqlite3"
    env.update(DATABASE_URL=f"sqlite:///{database}", GRASSROOTS_VAR=str(tmp_path / "var"))
    grassroots = [sys.executable, "-m", "grassroots"]
    subprocess.run([*grassroots, "migrate", "-v0"], env=env, check=True, cwd=ROOT, timeout=300)
    package = tmp_path / "package"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--scale", "district",
         "--out", str(package), "--seed", "3"],
        env=env, check=True, cwd=ROOT, timeout=300, capture_output=True,
    )  # fmt: skip
    before = _registry_rows(database)
    proc = subprocess.Popen(
        [*grassroots, "import", str(package)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "%" in line and not line.startswith("100%"):
            break  # under way: kill it now
    else:
        pytest.fail("the import never reported progress")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _registry_rows(database) == before
    done = subprocess.run(
        [*grassroots, "import", str(package)], env=env, cwd=ROOT, timeout=600, capture_output=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    after = _registry_rows(database)
    assert after["members_member"] > 2000 and after != before
