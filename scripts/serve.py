"""Serve Grassroots production-style: gunicorn for the web, plus two background-task workers.

Used by ``make run``. First ``grassroots import_cleanup`` fails the imports whose worker died
and deletes what they left (staging folders, uploaded files); then one worker takes the default
queue (small imports, everything else) and one the queue of large imports, so that a small
upload never waits behind a large one. Stops everything when interrupted.

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
    subprocess.run([BIN / "grassroots", "import_cleanup"], check=False)
    workers = [
        subprocess.Popen(
            [BIN / "grassroots", "db_worker", "--interval", "1", "--queue-name", queue]
        )
        for queue in ("default", "imports_large")
    ]
    print(f"Grassroots đang chạy tại http://127.0.0.1:{port}/ (Ctrl+C để dừng)", flush=True)
    web = subprocess.Popen(gunicorn_command(port, os.environ.get("WEB_WORKERS", "3")))
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in (web, *workers):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (web, *workers):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
