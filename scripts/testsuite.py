"""The whole test run behind ``make test``.

Steps: ruff (rules and format), mypy, ``makemigrations --check``, the pytest suite on SQLite
measured by coverage (failing under the floor of ``[tool.coverage.report] fail_under`` in
pyproject.toml) and the same suite on PostgreSQL side by side (each with its own ``var`` folder),
then the browser tests in headless Chromium. Before the PostgreSQL pass a streaming replica of
its server is started (``scripts/replica.py``, for ``tests/operations/test_replica.py``) and
stopped after. Each step's output is printed whole when it ends. The layers (import-linter) are
checked by ``tests/test_layers.py`` inside the suite. PostgreSQL or Chromium missing → that step
is reported as skipped with a reason, except when ``CI=true``, where a missing one fails the run.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Lock

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/grassroots")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PRINTING = Lock()
SUMMARY = re.compile(r"^=*\s*(\d+ \w+(?:, \d+ \w+)*) in [\d.]+s", re.MULTILINE)


def run(label: str, cmd: list, env: dict | None = None) -> tuple[int, str]:
    """Run one step, its output kept whole and printed when it ends (steps run side by side)."""
    started = time.monotonic()
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        # Tasks run at once in tests (Wagtail builds the task backends while Django starts,
        # before the test settings could change them).
        env={
            **os.environ,
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            **(env or {}),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    with PRINTING:
        print(f"\n=== {label} ===", flush=True)
        sys.stdout.write(proc.stdout)
        print(
            f"--- {label}: exit {proc.returncode} in {time.monotonic() - started:.0f}s", flush=True
        )
    return proc.returncode, "".join(proc.stdout.splitlines(keepends=True)[-5:])


def postgres_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"PostgreSQL không kết nối được ({PG_URL}): {exc.__class__.__name__}"


def chromium_available() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return f"Chromium không có ở {CHROMIUM}"
    return None


def counts(text: str) -> dict:
    found = {}
    for match in SUMMARY.finditer(text):
        for part in match.group(1).split(","):
            number, _, word = part.strip().partition(" ")
            if number.isdigit():
                word = word.rstrip("s") if word.endswith(("errors", "warnings")) else word
                found[word] = found.get(word, 0) + int(number)
    return found


def main() -> int:
    results: list[tuple[str, str]] = []
    failed = False
    totals = {"passed": 0, "failed": 0, "skipped": 0}

    def lint() -> None:
        nonlocal failed
        for label, cmd in (
            ("ruff", [BIN / "ruff", "check", "."]),
            ("ruff format --check", [BIN / "ruff", "format", "--check", "."]),
            ("mypy", [BIN / "mypy"]),
            (
                "makemigrations --check",
                [BIN / "grassroots", "makemigrations", "--check", "--dry-run"],
            ),
        ):
            code, _ = run(label, cmd)
            results.append((label, "ok" if code == 0 else "FAILED"))
            failed |= code != 0

    def suite(
        label: str, args: list[str], database_url: str, missing: str | None, **extra: str
    ) -> None:
        nonlocal failed
        if missing:
            results.append((label, f"{'FAILED' if CI else 'skipped'}: {missing}"))
            failed |= CI
            return
        # each suite its own folder (SQLite file, uploads, secret key) and database
        env = {
            "DATABASE_URL": database_url,
            "GRASSROOTS_VAR": tempfile.mkdtemp(prefix="gr-var-"),
            **extra,
        }
        code, tail = run(label, [*pytest, *args], env)
        found = counts(tail)
        for key in totals:
            totals[key] += found.get(key, 0)
        totals["failed"] += found.get("error", 0)
        ok = code == 0 and found.get("passed", 0) > 0
        results.append((label, f"{'ok' if ok else 'FAILED'} ({tail.strip().splitlines()[-1]})"))
        failed |= not ok

    pytest = [BIN / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    postgres_missing = postgres_available()
    replica_env: dict[str, str] = {}
    if not postgres_missing:
        # a streaming replica of the test server for tests/operations/test_replica.py
        code, tail = run("PostgreSQL replica", [BIN / "python", "scripts/replica.py", "start"])
        if code == 0:
            replica_env["TEST_REPLICA_URL"] = tail.strip().splitlines()[-1]
        else:
            results.append(("PostgreSQL replica", f"{'FAILED' if CI else 'skipped'}: {tail}"))
            failed |= CI
    # The two databases' passes run side by side (the machine's two cores), the lint beside
    # them; the browser tests after.
    with ThreadPoolExecutor(max_workers=3) as pool:
        steps = [
            pool.submit(lint),
            pool.submit(
                suite,
                "pytest on SQLite, with coverage",
                ["-m", "not e2e", "--cov", "--cov-report=term:skip-covered"],
                "",
                None,
            ),
            pool.submit(
                suite,
                "pytest on PostgreSQL",
                ["-m", "not e2e"],
                PG_URL,
                postgres_missing,
                **replica_env,
            ),
        ]
        for step in steps:
            step.result()
    if replica_env:
        run("PostgreSQL replica: stop", [BIN / "python", "scripts/replica.py", "stop"])
    suite("browser tests in Chromium", ["-m", "e2e"], "", chromium_available())

    print("\n=== summary ===")
    for label, outcome in results:
        print(f"{label:32} {outcome}")
    print(
        f"total: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
