"""Serve Grassroots production-style: gunicorn for the web, plus the background-task worker.

Used by ``make run``. Stops both when interrupted.

This file is also gunicorn's configuration (``--config``): its ``on_starting`` hook renames
the server in the ``Server`` header, which would otherwise name gunicorn (and its version is in
``SERVER_SOFTWARE`` only, never sent).
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
#: What the ``Server`` header says.
SERVER_NAME = "Grassroots"


def on_starting(server: object) -> None:
    """gunicorn hook, run in the master before any worker is forked."""
    import gunicorn.http.wsgi

    gunicorn.http.wsgi.SERVER = SERVER_NAME


def gunicorn_command(port: str, workers: str) -> list:
    """The gunicorn command line, with this file as its configuration."""
    return [
        BIN / "gunicorn",
        "grassroots.wsgi",
        "--config",
        str(Path(__file__).resolve()),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        workers,
        "--threads",
        "4",
        "--access-logfile",
        "-",
    ]


def main() -> int:
    port = os.environ.get("PORT", "8000")
    worker = subprocess.Popen([BIN / "grassroots", "db_worker", "--interval", "1"])
    print(f"Grassroots đang chạy tại http://127.0.0.1:{port}/ (Ctrl+C để dừng)", flush=True)
    web = subprocess.Popen(gunicorn_command(port, os.environ.get("WEB_WORKERS", "3")))
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in (web, worker):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (web, worker):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
