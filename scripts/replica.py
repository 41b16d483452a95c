"""A PostgreSQL streaming replica of the local test server, for ``make test`` (issue 18).

``python scripts/replica.py start`` makes one with ``pg_basebackup`` into a folder of the
temporary directory and starts it on port 5433 (``REPLICA_PORT``), then prints its URL;
``stop`` stops it. The primary is ``TEST_POSTGRES_URL``'s server (127.0.0.1:5432 by default);
its ``pg_hba.conf`` gets a line letting local replication connections in when it has none
(and the configuration is reloaded). Run as root, the PostgreSQL programs run as the
``postgres`` user. Starting a replica that answers already does nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

PRIMARY = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PORT = int(os.environ.get("REPLICA_PORT", "5433"))
FOLDER = Path(tempfile.gettempdir()) / "grassroots-replica"
HBA_LINE = "host replication all 127.0.0.1/32 trust"


def _server(url: str) -> str:
    """The server part of a database URL, on the ``postgres`` database."""
    return url.rsplit("/", 1)[0] + "/postgres"


def replica_url() -> str:
    return f"{_server(PRIMARY).rsplit(':', 1)[0]}:{PORT}/postgres"


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str]) -> None:
    result = subprocess.run(_as_postgres(args), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {(result.stderr or result.stdout).strip()[-2000:]}")


def answering() -> bool:
    try:
        with psycopg.connect(replica_url(), connect_timeout=2) as db:
            return bool(db.execute("SELECT pg_is_in_recovery()").fetchone()[0])
    except psycopg.Error:
        return False


def start() -> str:
    if answering():
        return replica_url()
    with psycopg.connect(_server(PRIMARY), autocommit=True) as db:
        version = db.execute("SHOW server_version_num").fetchone()[0]
        hba = Path(db.execute("SHOW hba_file").fetchone()[0])
        if not any(
            line.split()[:2] == ["host", "replication"] for line in hba.read_text().splitlines()
        ):
            with hba.open("a") as file:
                file.write(f"\n{HBA_LINE}\n")
            db.execute("SELECT pg_reload_conf()")
    bin_dir = Path(f"/usr/lib/postgresql/{int(version) // 10000}/bin")
    programs = bin_dir if bin_dir.is_dir() else Path(shutil.which("pg_ctl") or "pg_ctl").parent
    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(FOLDER, "postgres", "postgres")
    host, port = _server(PRIMARY).split("@")[-1].split("/")[0].split(":")
    _run([str(programs / "pg_basebackup"), "-h", host, "-p", port, "-U", "postgres",
          "-D", str(FOLDER), "-R", "-X", "stream", "--checkpoint=fast"])  # fmt: skip
    (FOLDER / "postgresql.conf").write_text(
        f"listen_addresses = '127.0.0.1'\nport = {PORT}\n"
        f"unix_socket_directories = '{tempfile.gettempdir()}'\n"
        "hot_standby = on\nshared_buffers = 32MB\n"
    )
    (FOLDER / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    if os.geteuid() == 0:
        for name in ("postgresql.conf", "pg_hba.conf"):
            shutil.chown(FOLDER / name, "postgres", "postgres")
    _run([str(programs / "pg_ctl"), "-D", str(FOLDER), "-l", str(FOLDER / "log"), "-w", "start"])
    for _ in range(50):
        if answering():
            return replica_url()
        time.sleep(0.2)
    raise RuntimeError(f"the replica on port {PORT} does not answer")


def stop() -> None:
    if (FOLDER / "postmaster.pid").exists():
        programs = Path(shutil.which("pg_ctl") or "")
        for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
            programs = candidate
        _run([str(programs), "-D", str(FOLDER), "-m", "fast", "-w", "stop"])


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    if command == "start":
        print(start())
    elif command == "stop":
        stop()
    else:
        sys.exit("usage: replica.py start|stop")
