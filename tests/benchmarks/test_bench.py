"""``make bench`` (issue #5): the district benchmark runs end to end and prints well-formed
figures. It manages its own database, package and server in a temporary folder (never the test
database), so it needs no ``db`` fixture; it runs on SQLite whatever ``DATABASE_URL`` says."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = (
    "coverage_p50_ms",
    "coverage_p95_ms",
    "lower_bound_ratio",
    "import_events_per_s",
    "page_p95_ms",
    "peak_rss_mb",
    # The floors (issue #18): measured in the same run; only present and positive here.
    "page_floor_requests_per_s",
    "page_dashboard_requests_per_s",
    "page_members_requests_per_s",
    "page_floor_ratio",
    "page_floor_ratio_dashboard",
    "page_floor_ratio_members",
    "import_floor_events_per_s",
    "import_floor_ratio",
)


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the benchmark brings its own SQLite database; it runs once, in the SQLite pass",
)
def test_bench_district_quick_prints_figures(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GRASSROOTS_VAR")}
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--scale",
            "district",
            "--db",
            "sqlite",
            "--quick",
            "--workdir",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    # One figure per line, then the JSON line last.
    assert len(lines) > len(REQUIRED)
    assert all(": " in line for line in lines[:-1])
    figures = json.loads(lines[-1])
    assert figures["scale"] == "district"
    assert figures["database"] == "sqlite"
    for key in REQUIRED:
        assert isinstance(figures[key], int | float), key
        assert figures[key] > 0, (key, figures[key])
    assert figures["counts"]["members"] > 2000
    assert figures["counts"]["member_events"] > figures["counts"]["members"]
    # The hand-written SQL gives the same numbers as the figures it bounds.
    assert figures["lower_bound_mismatches"] == 0
    assert figures["page_requests"] > 0
