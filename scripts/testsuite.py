"""The whole test run behind ``make test``.

Steps: ruff (rules and format), mypy, ``makemigrations --check``, the pytest suite on SQLite
measured by coverage (failing under the floor of ``[tool.coverage.report] fail_under`` in
pyproject.toml), the same suite on PostgreSQL, the browser tests in headless Chromium. The
layers (import-linter) are checked by ``tests/test_layers.py`` inside the suite. PostgreSQL or Chromium missing → that step is reported as
skipped with a reason, except when ``CI=true``, where a missing one fails the run.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/grassroots")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SUMMARY = re.compile(r"^=*\s*(\d+ \w+(?:, \d+ \w+)*) in [\d.]+s", re.MULTILINE)


def run(label: str, cmd: list, env: dict | None = None) -> tuple[int, str]:
    print(f"\n=== {label} ===", flush=True)
    started = time.monotonic()
    proc = subprocess.Popen(
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
    )
    tail = []
    for line in proc.stdout:
        sys.stdout.write(line)
        tail = (tail + [line])[-5:]
    proc.wait()
    print(f"--- {label}: exit {proc.returncode} in {time.monotonic() - started:.0f}s", flush=True)
    return proc.returncode, "".join(tail)


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

    for label, cmd in (
        ("ruff", [BIN / "ruff", "check", "."]),
        ("ruff format --check", [BIN / "ruff", "format", "--check", "."]),
        ("mypy", [BIN / "mypy"]),
        ("makemigrations --check", [BIN / "grassroots", "makemigrations", "--check", "--dry-run"]),
    ):
        code, _ = run(label, cmd)
        results.append((label, "ok" if code == 0 else "FAILED"))
        failed |= code != 0

    pytest = [BIN / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    suites = [
        (
            "pytest on SQLite, with coverage",
            pytest + ["-m", "not e2e", "--cov", "--cov-report=term:skip-covered"],
            {"DATABASE_URL": ""},
            None,
        ),
        (
            "pytest on PostgreSQL",
            pytest + ["-m", "not e2e"],
            {"DATABASE_URL": PG_URL},
            postgres_available(),
        ),
        (
            "browser tests in Chromium",
            pytest + ["-m", "e2e"],
            {"DATABASE_URL": ""},
            chromium_available(),
        ),
    ]
    for label, cmd, env, missing in suites:
        if env.get("DATABASE_URL") == "":
            env = {k: v for k, v in env.items() if k != "DATABASE_URL"}
            os.environ.pop("DATABASE_URL", None)
        if missing:
            results.append((label, f"{'FAILED' if CI else 'skipped'}: {missing}"))
            failed |= CI
            continue
        code, tail = run(label, cmd, env)
        found = counts(tail)
        for key in totals:
            totals[key] += found.get(key, 0)
        totals["failed"] += found.get("error", 0)
        ok = code == 0 and found.get("passed", 0) > 0
        results.append((label, f"{'ok' if ok else 'FAILED'} ({tail.strip().splitlines()[-1]})"))
        failed |= not ok

    print("\n=== summary ===")
    for label, outcome in results:
        print(f"{label:32} {outcome}")
    print(
        f"total: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
