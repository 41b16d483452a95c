"""The benchmark behind ``make bench SCALE=district|province|national DB=sqlite|postgres``.

    python benchmarks/run.py --scale district --db sqlite [--quick] [--seed N] [--workdir DIR]

Steps, each timed:

1. a fresh database: a SQLite file under the work folder (default ``var/bench/``), or the
   PostgreSQL database ``grassroots_bench`` (``BENCH_POSTGRES_URL``, default
   ``postgres://postgres@127.0.0.1:5432/grassroots_bench``), dropped and created; then
   ``grassroots migrate``;
2. the package from ``benchmarks/generate.py`` (cached in the work folder per scale, seed and
   generator version);
3. ``grassroots import`` in a subprocess: events per second = member_events rows / wall seconds;
4. in this process: ``statistics.figures.coverage()`` and ``admissions()`` for random
   (organisation, date) pairs spread over the levels (root, committees, grassroots committees,
   cells; dates 2001–2026), and a hand-written single SQL statement for the same figures (the
   lower bound), checked to give the same numbers; p50/p95 of each and the ratio of the p50s;
5. gunicorn (2 workers × 4 threads, like ``scripts/serve.py``) on a free loopback port; a user
   scoped to the root organisation logs in through the login form; ``benchmarks/load.py`` runs
   as a second process with 50 keep-alive clients against the dashboard (``/statistics/``) and
   the member list (``/members/``) for 20 s;
6. peak memory: VmHWM of the server processes (``/proc``), ``wait4`` of the import and load
   processes, ``getrusage`` of this one.

Prints one figure per line, and last a single JSON line with every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import floor  # noqa: E402  (benchmarks/floor.py)
import generate  # noqa: E402  (benchmarks/generate.py)

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/grassroots_bench")
USERNAME, PASSWORD = "bench", "bench-mật-khẩu-dài-2026"
LEVELS = ("root", "committee", "grassroots_committee", "cell")
#: The page floor: a page with the layout every page has (header, menu, "as of" picker) and no
#: content, behind the login — the same server, middleware, session and user as the real pages.
FLOOR_PATH = "/accounts/password/done/"
#: The pages measured against it, by the name of their figures.
FLOORED_PAGES = {"/statistics/": "dashboard", "/members/": "members"}
FIRST_DAY, LAST_DAY = date(2001, 1, 1), date(2026, 6, 30)
CHILD_CPU: dict[str, float] = {}


def log(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


# --- processes and memory -----------------------------------------------------------------------


def run_child(cmd: list, env: dict, label: str) -> tuple[int, str, float, float]:
    """Run a command; returns (exit code, output, wall seconds, peak RSS in MiB from wait4).
    The child's CPU seconds (user + system) are kept in ``CHILD_CPU[label]``."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(c) for c in cmd],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    for line in proc.stdout:
        output.append(line)
    _pid, status, usage = os.wait4(proc.pid, 0)
    CHILD_CPU[label] = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        log(f"{label} failed (exit {proc.returncode}):\n" + "".join(output[-30:]))
    return proc.returncode, "".join(output), seconds, usage.ru_maxrss / 1024


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def vm_hwm_mb(pid: int) -> float:
    """Peak resident set size of a live process (VmHWM), in MiB; 0 when unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- database -----------------------------------------------------------------------------------


def fresh_database(db: str, workdir: Path, scale: str) -> str:
    if db == "sqlite":
        path = workdir / f"bench-{scale}.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL


def package_for(scale: str, seed: int, workdir: Path) -> tuple[Path, dict, float]:
    """The cached package (generated when missing); returns (folder, summary, seconds spent)."""
    folder = workdir / f"package-{scale}-seed{seed}-v{generate.GENERATOR_VERSION}"
    meta = Path(f"{folder}.json")
    if folder.is_dir() and meta.exists():
        summary = json.loads(meta.read_text())
        if not summary.get("partial") and summary.get("scale") == scale:
            return folder, summary, 0.0
    tmp = workdir / f"{folder.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    started = time.perf_counter()
    summary = generate.generate(scale, tmp, seed)
    seconds = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    Path(f"{tmp}.json").replace(meta)
    return folder, summary, seconds


# --- figures and their lower bound --------------------------------------------------------------

MEMBERS_SQL = """
SELECT
  COALESCE(SUM(CASE WHEN s.status = 'official' THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN s.status = 'probationary' THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN s.exempted THEN 1 ELSE 0 END), 0)
FROM organizations_organizationclosure c
JOIN members_membershipspan s ON s.organization_id = c.descendant_id
WHERE c.ancestor_id = %(org)s
  AND c.valid_from <= %(day)s AND (c.valid_to IS NULL OR c.valid_to > %(day)s)
  AND s.valid_from <= %(day)s AND (s.valid_to IS NULL OR s.valid_to > %(day)s)
"""

#: The whole coverage report in one statement: members by status, cells and, per place kind,
#: total / without_cell / without_members / below_three_official.
COVERAGE_SQL = """
WITH sub AS (
  SELECT descendant_id AS id FROM organizations_organizationclosure
  WHERE ancestor_id = %(org)s AND valid_from <= %(day)s AND (valid_to IS NULL OR valid_to > %(day)s)
), m AS (
  SELECT
    COALESCE(SUM(CASE WHEN s.status = 'official' THEN 1 ELSE 0 END), 0) AS official,
    COALESCE(SUM(CASE WHEN s.status = 'probationary' THEN 1 ELSE 0 END), 0) AS probationary,
    COALESCE(SUM(CASE WHEN s.exempted THEN 1 ELSE 0 END), 0) AS exempted
  FROM members_membershipspan s JOIN sub ON s.organization_id = sub.id
  WHERE s.valid_from <= %(day)s AND (s.valid_to IS NULL OR s.valid_to > %(day)s)
), c AS (
  SELECT COUNT(*) AS cells FROM organizations_organizationversion v JOIN sub ON v.organization_id = sub.id
  WHERE v.kind IN ('cell', 'grassroots_cell')
    AND v.valid_from <= %(day)s AND (v.valid_to IS NULL OR v.valid_to > %(day)s)
), pv AS (
  SELECT v.place_id, v.kind FROM places_placeversion v
  JOIN places_placeclosure pc ON pc.descendant_id = v.place_id
  JOIN organizations_organizationversion ov ON ov.place_id = pc.ancestor_id
  WHERE ov.organization_id = %(org)s
    AND ov.valid_from <= %(day)s AND (ov.valid_to IS NULL OR ov.valid_to > %(day)s)
    AND pc.valid_from <= %(day)s AND (pc.valid_to IS NULL OR pc.valid_to > %(day)s)
    AND v.valid_from <= %(day)s AND (v.valid_to IS NULL OR v.valid_to > %(day)s)
    AND v.kind IN ('village', 'residential_group', 'school', 'health_station')
), pm AS (
  SELECT s.place_id, COUNT(*) AS n,
         SUM(CASE WHEN s.status = 'official' THEN 1 ELSE 0 END) AS official
  FROM members_membershipspan s
  WHERE s.place_id IN (SELECT place_id FROM pv)
    AND s.valid_from <= %(day)s AND (s.valid_to IS NULL OR s.valid_to > %(day)s)
  GROUP BY s.place_id
), pc AS (
  SELECT DISTINCT o.place_id FROM organizations_organizationversion o
  WHERE o.place_id IN (SELECT place_id FROM pv)
    AND o.kind IN ('cell', 'grassroots_cell', 'grassroots_committee')
    AND o.valid_from <= %(day)s AND (o.valid_to IS NULL OR o.valid_to > %(day)s)
), k AS (
  SELECT pv.kind, COUNT(*) AS total,
    SUM(CASE WHEN pc.place_id IS NULL THEN 1 ELSE 0 END) AS without_cell,
    SUM(CASE WHEN pm.n IS NULL THEN 1 ELSE 0 END) AS without_members,
    SUM(CASE WHEN COALESCE(pm.official, 0) < 3 THEN 1 ELSE 0 END) AS below_three_official
  FROM pv LEFT JOIN pc ON pc.place_id = pv.place_id LEFT JOIN pm ON pm.place_id = pv.place_id
  GROUP BY pv.kind
)
SELECT m.official, m.probationary, m.exempted, c.cells,
       k.kind, k.total, k.without_cell, k.without_members, k.below_three_official
FROM m CROSS JOIN c LEFT JOIN k ON 1 = 1
"""

ADMISSIONS_SQL = """
SELECT {year} AS y, COUNT(*)
FROM members_memberevent e
JOIN organizations_organizationclosure c
  ON c.descendant_id = e.organization_id AND c.ancestor_id = %(org)s
 AND c.valid_from <= e.date AND (c.valid_to IS NULL OR c.valid_to > e.date)
LEFT JOIN members_memberevent x ON x.supersedes_id = e.id
WHERE e.kind = 'admitted' AND x.id IS NULL AND e.date >= %(start)s AND e.date <= %(end)s
GROUP BY {year}
"""

PLACE_KINDS = ("village", "residential_group", "school", "health_station")
PLACE_FIGURES = ("total", "without_cell", "without_members", "below_three_official")


def lower_bound_coverage(cursor, org_id: int, day: date) -> dict:
    cursor.execute(COVERAGE_SQL, {"org": org_id, "day": day})
    rows = cursor.fetchall()
    places = {kind: dict.fromkeys(PLACE_FIGURES, 0) for kind in PLACE_KINDS}
    official, probationary, exempted, cells = rows[0][:4]
    for row in rows:
        if row[4] is not None:
            places[row[4]] = dict(zip(PLACE_FIGURES, (int(v) for v in row[5:]), strict=True))
    return {
        "members": {
            "official": int(official),
            "probationary": int(probationary),
            "exempted": int(exempted),
        },
        "cells": int(cells),
        "places": places,
    }


def lower_bound_members(cursor, org_id: int, day: date) -> dict:
    cursor.execute(MEMBERS_SQL, {"org": org_id, "day": day})
    official, probationary, exempted = cursor.fetchone()
    return {
        "official": int(official),
        "probationary": int(probationary),
        "exempted": int(exempted),
    }


def lower_bound_admissions(cursor, vendor: str, org_id: int, start: date, end: date) -> dict:
    if vendor == "sqlite":
        year = "CAST(strftime('%%Y', e.date) AS INTEGER)"
    else:
        year = "CAST(EXTRACT(YEAR FROM e.date) AS INTEGER)"
    cursor.execute(ADMISSIONS_SQL.format(year=year), {"org": org_id, "start": start, "end": end})
    counted = {int(y): n for y, n in cursor.fetchall()}
    return {str(y): counted.get(y, 0) for y in range(start.year, end.year + 1)}


def choose_pairs(rng: random.Random, count: int) -> list[tuple[str, int, str, date]]:
    """(level, organisation id, code, day): spread evenly over the levels, each day inside the
    organisation's lifetime and 2001-01-01..2026-06-30."""
    from django.db.models import Max, Min, Q

    from grassroots.organizations.models import OrganizationVersion

    roots = (
        OrganizationVersion.objects.filter(parent__isnull=True)
        .values_list("organization_id", "organization__code")
        .distinct()
    )
    root_ids = {pk for pk, _code in roots}
    lifetimes = {
        row["organization_id"]: row
        for row in OrganizationVersion.objects.values(
            "organization_id", "organization__code"
        ).annotate(
            start=Min("valid_from"),
            stop=Max("valid_to"),
            open=Max("id", filter=Q(valid_to__isnull=True)),
        )
    }
    by_level: dict[str, list[int]] = {level: [] for level in LEVELS}
    kinds = dict(
        OrganizationVersion.objects.order_by("organization_id", "valid_from").values_list(
            "organization_id", "kind"
        )
    )
    for pk, kind in sorted(kinds.items()):
        if pk in root_ids:
            by_level["root"].append(pk)
        elif kind == "committee":
            by_level["committee"].append(pk)
        elif kind in ("grassroots_committee", "grassroots_cell"):
            by_level["grassroots_committee"].append(pk)
        elif kind == "cell":
            by_level["cell"].append(pk)
    pairs = []
    for i in range(count):
        level = LEVELS[i % len(LEVELS)]
        if not by_level[level]:
            continue
        pk = rng.choice(by_level[level])
        life = lifetimes[pk]
        start = max(life["start"], FIRST_DAY)
        stop = LAST_DAY if life["open"] else min(life["stop"] - timedelta(days=1), LAST_DAY)
        if stop < start:
            stop = start
        day = start + timedelta(days=rng.randrange((stop - start).days + 1))
        pairs.append((level, pk, life["organization__code"], day))
    return pairs


def time_figures(pairs, vendor: str) -> dict:
    from django.db import connection

    from grassroots.statistics import figures

    timings: dict[str, list[float]] = {
        "coverage": [],
        "coverage_lb": [],
        "members": [],
        "members_lb": [],
        "admissions": [],
        "admissions_lb": [],
        "coverage_cpu": [],
    }
    by_level: dict[str, list[float]] = {level: [] for level in LEVELS}
    lb_by_level: dict[str, list[float]] = {level: [] for level in LEVELS}
    mismatches: list[str] = []
    cursor = connection.cursor()
    # Warm up the connection and the caches (not timed).
    for _level, pk, code, day in pairs[:4]:
        figures.coverage(organization=code, day=day)
        lower_bound_coverage(cursor, pk, day)
    from grassroots.organizations.models import Organization

    for level, pk, code, day in pairs:
        start = date(max(day.year - 4, 2001), 1, 1)
        c0 = time.process_time()
        t0 = time.perf_counter()
        report = figures.coverage(organization=code, day=day)
        t1 = time.perf_counter()
        timings["coverage_cpu"].append(time.process_time() - c0)
        bound = lower_bound_coverage(cursor, pk, day)
        t2 = time.perf_counter()
        org = Organization.objects.get(pk=pk)
        t3 = time.perf_counter()
        members = figures.members_by_status(organization=org, day=day)
        t4 = time.perf_counter()
        members_bound = lower_bound_members(cursor, pk, day)
        t5 = time.perf_counter()
        admitted = figures.admissions(organization=code, start=start, end=day)
        t6 = time.perf_counter()
        admitted_bound = lower_bound_admissions(cursor, vendor, pk, start, day)
        t7 = time.perf_counter()
        timings["coverage"].append(t1 - t0)
        timings["coverage_lb"].append(t2 - t1)
        timings["members"].append(t4 - t3)
        timings["members_lb"].append(t5 - t4)
        timings["admissions"].append(t6 - t5)
        timings["admissions_lb"].append(t7 - t6)
        by_level[level].append(t1 - t0)
        lb_by_level[level].append(t2 - t1)
        expected = {k: report[k] for k in ("members", "cells", "places")}
        if expected != bound or members != members_bound or admitted["by_year"] != admitted_bound:
            mismatches.append(f"{code} {day}")
    cursor.close()
    return {
        "timings": timings,
        "by_level": by_level,
        "lb_by_level": lb_by_level,
        "mismatches": mismatches,
    }


#: The days the root's cold figures are measured on: the reorganisations of the generated
#: history (a district formed in 2013, districts abolished in 2025) and the last day of 2025 (the
#: dashboard then counts a whole year of movements).
ROOT_DAYS = (date(2013, 6, 30), date(2020, 1, 1), date(2025, 12, 31))


def time_root_cold(root_code: str) -> dict[str, float]:
    """The root's figures computed afresh (no cache: as on the first view after a change),
    each the worst over :data:`ROOT_DAYS`, in ms: coverage, members by status, the members'
    structure, admissions per year over the dashboard's 15 years, and the whole dashboard
    (every card of the registry)."""
    from django.urls import reverse

    from grassroots.core.temporal import valid_on
    from grassroots.organizations.models import Organization, OrganizationVersion
    from grassroots.statistics import dashboard, figures

    root = Organization.objects.get(code=root_code)
    worst: dict[str, float] = defaultdict(float)
    # A running server has loaded its URLs (the dashboard's drill-down links) long before:
    # the first reverse() in a process imports every app's urls (≈ 0.6 s), not a figure's cost.
    reverse("statistics:drilldown")

    def timed(name: str, compute) -> None:
        started = time.perf_counter()
        compute()
        worst[name] = max(worst[name], ms(time.perf_counter() - started))

    for day in ROOT_DAYS:
        timed("coverage", lambda day=day: figures.coverage(organization=root, day=day))
        timed("members", lambda day=day: figures.members_by_status(organization=root, day=day))
        timed("structure", lambda day=day: figures.members_structure(organization=root, day=day))
        start = date(day.year - 14, 1, 1)
        timed(
            "admissions",
            lambda day=day, start=start: figures.admissions(
                organization=root, start=start, end=day
            ),
        )
    timed("dashboard", lambda: dashboard.dashboard(organization=root, day=ROOT_DAYS[-1]))
    # The level below (provinces at national scale): the largest subtrees after the root's,
    # counted from their spans (their structure has no tally). Five of them, the worst.
    children = OrganizationVersion.objects.filter(valid_on(ROOT_DAYS[-1]), parent=root).values_list(
        "organization_id", flat=True
    )
    for child in Organization.objects.filter(pk__in=children).order_by("pk")[:5]:
        timed(
            "child_structure",
            lambda child=child: figures.members_structure(organization=child, day=ROOT_DAYS[-1]),
        )
        timed(
            "child_dashboard",
            lambda child=child: dashboard.dashboard(organization=child, day=ROOT_DAYS[-1]),
        )
    return dict(worst)


# --- the web server under load ------------------------------------------------------------------


class Session:
    """A tiny cookie-keeping HTTP client for the login (loopback only)."""

    def __init__(self, port: int, timeout: float = 60.0):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.getheader("Location"), data

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def create_user(root_code: str) -> None:
    from grassroots.accounts.services import user_create
    from grassroots.organizations.models import Organization

    scope = Organization.objects.get(code=root_code)
    from grassroots.accounts.models import User

    User.objects.filter(username=USERNAME).delete()
    user_create(
        username=USERNAME,
        password=PASSWORD,
        full_name="Người đo hiệu năng",
        roles=["viewer"],
        scope=scope,
    )


def login(session: Session) -> bool:
    status, _loc, page = session.request("GET", "/accounts/login/")
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not found:
        log(f"login page: HTTP {status}, no CSRF token")
        return False
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": html.unescape(found.group(1)),
            "username": USERNAME,
            "password": PASSWORD,
            "next": "/",
        }
    )
    origin = f"http://127.0.0.1:{session.port}"
    status, location, _ = session.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
        },
    )
    if status != 302 or "sessionid" not in session.cookies:
        log(f"login refused: HTTP {status} → {location}")
        return False
    return True


class Server:
    """gunicorn like ``scripts/serve.py`` (2 workers × 4 threads) on a free loopback port."""

    def __init__(self, env: dict, workdir: Path, timeout: float = 120.0):
        self.env, self.log_path = env, workdir / "gunicorn.log"
        self.timeout = timeout
        self.log_path.write_text("")
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.peak_rss: dict[str, float] = {}

    def start(self) -> bool:
        with open(self.log_path, "a") as server_log:
            self.proc = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "grassroots.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                    "--timeout",
                    str(int(self.timeout)),
                    "--graceful-timeout",
                    "5",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=server_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        probe = Session(self.port, timeout=10)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                if probe.request("GET", "/accounts/login/")[0] == 200:
                    return True
            time.sleep(0.2)
        return False

    def record_memory(self) -> None:
        if self.proc is not None:
            for pid in process_tree(self.proc.pid):
                self.peak_rss[str(pid)] = round(vm_hwm_mb(pid), 1)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def serve_and_load(
    env: dict,
    clients: int,
    seconds: float,
    grace: float,
    page_timeout: float,
    workdir: Path,
    think_seconds: float,
) -> dict:
    """Serve, log in, time each page once, then load the pages that answered 200 within
    ``page_timeout``; a page that did not is reported (status ``timeout`` or its HTTP status)
    and left out of the load. After a timeout the server is restarted, so the request still
    running in it does not slow the load down."""
    result: dict = {"pages": {}, "load": None, "saturation": None}
    code, _out, _s, _rss = run_child(
        [BIN / "grassroots", "collectstatic", "--noinput", "-v0"], env, "collectstatic"
    )
    if code != 0:
        result["error"] = "collectstatic failed"
        return result
    server = Server(env, workdir, timeout=max(120.0, page_timeout + 10))
    try:
        if not server.start():
            result["error"] = "gunicorn did not start"
            return result
        session = Session(server.port)
        port = server.port
        if not login(session):
            result["error"] = "login failed"
            return result
        paths = []
        session.timeout = page_timeout
        for path in ("/members/", "/statistics/"):
            t0 = time.perf_counter()
            try:
                status, _loc, _ = session.request("GET", path)
            except TimeoutError:
                status = "timeout"
            result["pages"][path] = {"status": status, "first_ms": ms(time.perf_counter() - t0)}
            if status == 200:
                paths.append(path)
        if not paths:
            result["error"] = "no page answered 200"
            return result
        if any(page["status"] == "timeout" for page in result["pages"].values()):
            server.record_memory()
            server.stop()
            if not server.start():
                result["error"] = "gunicorn did not restart"
                return result
        status, _loc, _ = session.request("GET", FLOOR_PATH)
        result["floor_status"] = status
        # The users, the saturation of both pages, then each page alone saturated beside the
        # floor page (half the time each): the page floor ratios.
        runs = [("load", think_seconds, paths, seconds), ("saturation", 0.0, paths, seconds)]
        alone = max(3.0, seconds / 2)
        if status == 200:
            runs.append(("floor", 0.0, [FLOOR_PATH], alone))
            runs.extend((f"alone {path}", 0.0, [path], alone) for path in paths)
        for name, think, loaded, duration in runs:
            code, out, _s, load_rss = run_child(
                [
                    sys.executable,
                    ROOT / "benchmarks" / "load.py",
                    "--port",
                    port,
                    "--cookie",
                    session.cookie_header,
                    *[arg for path in loaded for arg in ("--path", path)],
                    "--clients",
                    clients,
                    "--seconds",
                    duration,
                    "--grace",
                    grace,
                    "--think",
                    think,
                ],
                env,
                name,
            )
            if code == 0:
                result[name] = json.loads(out.strip().splitlines()[-1])
                result[name]["client_peak_rss_mb"] = round(load_rss, 1)
        server.record_memory()
        result["server_rss_mb"] = server.peak_rss
    finally:
        server.stop()
    return result


# --- main ---------------------------------------------------------------------------------------


def machine() -> dict:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) // 1024
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_mb": memory}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Grassroots benchmark (issue #5).")
    parser.add_argument("--scale", choices=sorted(generate.SCALES), default="district")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="40 pairs, 3 s of load")
    parser.add_argument("--pairs", type=int)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean seconds each simulated user waits between two pages (the users test)",
    )
    parser.add_argument("--load-seconds", type=float)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument(
        "--no-import-floor",
        action="store_true",
        help="skip the import floor (at national scale it copies the whole database)",
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="keep the database of the last run of this scale (no import figures)",
    )
    args = parser.parse_args(argv)
    pairs_count = args.pairs or (40 if args.quick else 200)
    load_seconds = args.load_seconds or (3.0 if args.quick else 20.0)
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    home = workdir / "home"  # GRASSROOTS_VAR: secret key, static files, no default database use
    home.mkdir(exist_ok=True)

    figures: dict = {"scale": args.scale, "database": args.db, **machine()}
    figures["loadavg_start"] = round(os.getloadavg()[0], 2)
    lines: list[str] = []

    def figure(name: str, value, unit: str = "") -> None:
        figures[name] = value
        lines.append(f"{name}: {value}{(' ' + unit) if unit else ''}")
        print(lines[-1], flush=True)

    log(f"package for scale {args.scale}")
    package, summary, gen_seconds = package_for(args.scale, args.seed, workdir)
    figure("generate_seconds", round(gen_seconds, 2), "s (0: cached)")
    for key in ("places", "organizations", "members", "member_events"):
        figure(f"package_{key}", summary[key])

    if args.reuse_db:
        # Iterating on figures or pages: keep the database the last run imported.
        url = (
            PG_URL
            if args.db == "postgres"
            else f"sqlite:///{workdir / f'bench-{args.scale}.sqlite3'}"
        )
        import_seconds = import_rss = 0.0
        inner = None
    else:
        log(f"fresh {args.db} database")
        url = fresh_database(args.db, workdir, args.scale)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "GRASSROOTS_VAR": str(home),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
        # A national package is one file of 11 million events: above the default limit of one
        # upload (policy IMPORT_MAX_ROWS), which a deployment raises the same way.
        "GRASSROOTS_IMPORT_MAX_ROWS": str(max(5_000_000, summary["member_events"] + 1)),
    }
    if not args.reuse_db:
        code, _out, seconds, _rss = run_child(
            [BIN / "grassroots", "migrate", "--noinput", "-v0"], env, "migrate"
        )
        if code != 0:
            return 1
        figure("migrate_seconds", round(seconds, 2), "s")
        before = workdir / f"before-import-{args.scale}-{args.db}.json"
        before.write_text(json.dumps(floor.snapshot(url)))

        log(f"import {package}")
        code, out, import_seconds, import_rss = run_child(
            [BIN / "grassroots", "import", package], env, "import"
        )
        if code != 0:
            return 1
        inner = re.search(r"Xong trong ([\d.]+) giây", out)
        # The import floor: the same rows inserted raw into a copy of the database (its own
        # process; nothing is connected to the database yet, as a PostgreSQL template needs).
        import_floor: dict | None = None
        if not args.no_import_floor:
            log("import floor: the import's rows inserted raw")
            code, out, _s, floor_rss = run_child(
                [
                    sys.executable,
                    ROOT / "benchmarks" / "floor.py",
                    "--url",
                    url,
                    "--before",
                    before,
                ],
                env,
                "import floor",
            )
            if code != 0:
                return 1
            import_floor = json.loads(out.strip().splitlines()[-1])

    os.environ.update({k: env[k] for k in ("DATABASE_URL", "GRASSROOTS_VAR", "DEBUG", "LOG_LEVEL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
    import django

    django.setup()
    from django.db import connection

    from grassroots.members.models import Member, MemberEvent, MembershipSpan
    from grassroots.organizations.models import Organization
    from grassroots.places.models import Place

    events = MemberEvent.objects.count()
    if not args.reuse_db:
        figure("import_seconds", round(import_seconds, 2), "s (wall, whole command)")
    if not args.reuse_db and import_floor is None:  # --no-import-floor
        figure("import_events_per_s", round(events / import_seconds), "events/s (no floor run)")
    if not args.reuse_db and import_floor is not None:
        import_floor_rate = import_floor["events_per_s"]
        figure(
            "import_events_per_s",
            round(events / import_seconds),
            f"events/s (floor {import_floor_rate:,} events/s)",
        )
        if inner:
            figure(
                "import_inner_events_per_s",
                round(events / max(float(inner.group(1)), 0.05)),
                "events/s (the importer's own timing, without process start;"
                f" floor {import_floor_rate:,} events/s)",
            )
        method = "executemany" if args.db == "sqlite" else "COPY"
        figure(
            "import_floor_seconds",
            round(import_floor["seconds"], 2),
            f"s ({import_floor['rows_total']:,} rows of {len(import_floor['rows'])} tables,"
            f" raw {method} in one transaction)",
        )
        figure("import_floor_events_per_s", import_floor_rate, "events/s")
        figure("import_floor_table_seconds", import_floor["table_seconds"], "s (and its commit)")
        figure("import_floor_peak_rss_mb", round(floor_rss, 1), "MiB (its own process)")
        figure(
            "import_floor_ratio",
            round(events / import_seconds / max(import_floor_rate, 1), 3),
            "× the floor (whole command; goal ≥ 0.5)",
        )
        if inner:
            figure(
                "import_inner_floor_ratio",
                round(events / max(float(inner.group(1)), 0.05) / max(import_floor_rate, 1), 3),
                "× the floor (the importer's own timing)",
            )
    if not args.reuse_db:
        cpu = CHILD_CPU.get("import", 0.0)
        figure("import_cpu_seconds", round(cpu, 2), "s (user + system of the import process)")
        figure(
            "import_events_per_cpu_s",
            round(events / max(cpu, 0.01)),
            "events per CPU second (independent of other load on the machine)",
        )
        figure("import_peak_rss_mb", round(import_rss, 1), "MiB")
    counts = {
        "places": Place.objects.count(),
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "member_events": events,
        "membership_spans": MembershipSpan.objects.count(),
    }
    for key, value in counts.items():
        figure(f"db_{key}", value)

    log(f"figures for {pairs_count} (organisation, date) pairs")
    rng = random.Random(f"pairs-{args.seed}")
    pairs = choose_pairs(rng, pairs_count)
    measured = time_figures(pairs, connection.vendor)
    t = measured["timings"]
    for name in ("coverage", "coverage_lb", "members", "members_lb", "admissions", "admissions_lb"):
        figure(f"{name}_p50_ms", ms(percentile(t[name], 0.5)), "ms")
        figure(f"{name}_p95_ms", ms(percentile(t[name], 0.95)), "ms")
    figure(
        "coverage_cpu_p50_ms",
        ms(percentile(t["coverage_cpu"], 0.5)),
        "ms (CPU time of this process; on SQLite the queries run in it)",
    )
    for level, values in measured["by_level"].items():
        figure(f"coverage_{level}_p50_ms", ms(percentile(values, 0.5)), "ms")
        lower = measured["lb_by_level"][level]
        figure(f"coverage_lb_{level}_p50_ms", ms(percentile(lower, 0.5)), "ms")
    # Each pair's time against the hand-written SQL for the same pair; the median of those
    # ratios. (The ratio of the two medians is printed too: with half the pairs at the root
    # and the committees and half below, both medians sit on the step between the two halves
    # and their ratio says more about the step than about the overhead.)
    ratios = {}
    for name in ("coverage", "members", "admissions"):
        own, bound = t[name], t[f"{name}_lb"]
        ratios[name] = percentile([a / max(b, 1e-6) for a, b in zip(own, bound, strict=True)], 0.5)
        figure(f"{name}_lower_bound_ratio", round(ratios[name], 2), "× the hand-written SQL")
        ratio_of_p50 = percentile(own, 0.5) / max(percentile(bound, 0.5), 1e-6)
        figure(f"{name}_p50_over_lower_bound_p50", round(ratio_of_p50, 2), "×")
    figure("lower_bound_ratio", round(max(ratios.values()), 2), "× (worst of the three)")
    figure("lower_bound_mismatches", len(measured["mismatches"]))
    if measured["mismatches"]:
        log("figure ≠ lower bound for: " + ", ".join(measured["mismatches"][:10]))
    figure("pairs", len(pairs))
    root_code = pairs[0][2] if pairs else Organization.objects.order_by("pk").first().code
    log(f"the root {root_code}, cold (no cache), worst of {len(ROOT_DAYS)} days")
    for name, value in time_root_cold(root_code).items():
        figure(f"root_cold_{name}_ms", value, "ms (goal ≤ 1,000 at national scale)")
    for level, values in measured["by_level"].items():
        figure(f"coverage_{level}_max_ms", ms(max(values, default=0.0)), "ms (worst pair)")
    connection.close()

    log("web server under load")
    create_user(root_code)
    connection.close()
    grace = 5.0 if args.quick else 30.0
    # The first request of a page computes its figures (then cached under the data version):
    # at national scale the dashboard of the whole country takes minutes, so it may.
    page_timeout = 20.0 if args.quick else (900.0 if args.scale == "national" else 60.0)
    web = serve_and_load(env, args.clients, load_seconds, grace, page_timeout, workdir, args.think)
    for path, page in web["pages"].items():
        figure(f"page_status {path}", page["status"])
        figure(f"page_first_ms {path}", page["first_ms"], "ms")
    skipped = {p: page for p, page in web["pages"].items() if page["status"] != 200}
    for path, page in skipped.items():
        log(f"{path} answered {page['status']} after {page['first_ms']} ms: left out of the load")
    load = web.get("load") or {}
    if web.get("error"):
        figure("web_error", web["error"])
    figure("page_clients", args.clients, f"users, each waiting ~{args.think:g} s between pages")
    figure("page_requests", load.get("requests", 0))
    figure("page_errors", load.get("errors", 0))
    figure(
        "page_unfinished", load.get("unfinished", 0), f"(still running {grace:.0f} s after the end)"
    )
    figure("page_requests_per_s", load.get("requests_per_s", 0.0), "requests/s")
    figure("page_p50_ms", load.get("p50_ms", 0.0), "ms")
    # A page left out for slowness still counts: the p95 is at least its single-request time.
    slow = [page["first_ms"] for page in skipped.values() if page["status"] == "timeout"]
    p95 = max([load.get("p95_ms", 0.0), *slow])
    figure("page_p95_ms", p95, "ms" + (" (at least: a page timed out)" if slow else ""))
    for path, stats in (load.get("by_path") or {}).items():
        figure(f"page_p95_ms {path}", stats["p95_ms"], "ms")
    # The same clients sending as fast as the server answers: its capacity on this machine.
    saturation = web.get("saturation") or {}
    floor_load = web.get("floor") or {}
    page_floor_rate = floor_load.get("requests_per_s", 0.0)
    beside = f"(floor {page_floor_rate} requests/s)"
    figure("page_max_requests_per_s", saturation.get("requests_per_s", 0.0), f"requests/s {beside}")
    figure("page_saturated_p50_ms", saturation.get("p50_ms", 0.0), "ms (no waiting between)")
    figure(
        "page_saturated_p95_ms",
        saturation.get("p95_ms", 0.0),
        f"ms (no waiting between; floor {floor_load.get('p95_ms', 0.0)} ms)",
    )
    # The floor: a page with the layout and no content, saturated by the same clients; then
    # each page alone, saturated the same way.
    figure("page_floor_status", web.get("floor_status"), FLOOR_PATH)
    figure("page_floor_requests_per_s", page_floor_rate, f"requests/s ({FLOOR_PATH}, saturated)")
    figure("page_floor_p95_ms", floor_load.get("p95_ms", 0.0), "ms (no waiting between)")
    floor_ratios = []
    for path, label in FLOORED_PAGES.items():
        alone = web.get(f"alone {path}") or {}
        rate = alone.get("requests_per_s", 0.0)
        figure(f"page_{label}_requests_per_s", rate, f"requests/s ({path} alone) {beside}")
        figure(f"page_{label}_saturated_p95_ms", alone.get("p95_ms", 0.0), "ms")
        ratio = round(rate / page_floor_rate, 3) if page_floor_rate else 0.0
        floor_ratios.append(ratio)
        figure(f"page_floor_ratio_{label}", ratio, "× the floor (goal ≥ 0.5)")
    figure("page_floor_ratio", min(floor_ratios), "× the floor (the smaller; goal ≥ 0.5)")
    server_rss = web.get("server_rss_mb") or {}
    figure("server_peak_rss_mb", max(server_rss.values(), default=0.0), "MiB (largest process)")
    figure("server_total_peak_rss_mb", round(sum(server_rss.values()), 1), "MiB (all processes)")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figure("bench_peak_rss_mb", round(own, 1), "MiB (this process: generation and figures)")
    figure(
        "peak_rss_mb",
        round(max(own, import_rss, max(server_rss.values(), default=0.0)), 1),
        "MiB (largest single process)",
    )
    figure("loadavg_end", round(os.getloadavg()[0], 2), "(1-minute load average; 2 cores)")
    figures.update(
        {
            "coverage_p50_ms": figures["coverage_p50_ms"],
            "counts": counts,
            "statistics_dashboard": web["pages"].get("/statistics/", {}).get("status"),
            "pages_loaded": sorted(set(web["pages"]) - set(skipped)),
        }
    )
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
