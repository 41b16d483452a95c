"""Serve Grassroots production-style: gunicorn for the web, plus the background-task worker.

Used by ``make run``. Stops both when interrupted.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
    port = os.environ.get("PORT", "8000")
    worker = subprocess.Popen([BIN / "grassroots", "db_worker", "--interval", "1"])
    print(f"Grassroots đang chạy tại http://127.0.0.1:{port}/ (Ctrl+C để dừng)", flush=True)
    web = subprocess.Popen(
        [
            BIN / "gunicorn",
            "grassroots.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            os.environ.get("WEB_WORKERS", "3"),
            "--threads",
            "4",
            "--access-logfile",
            "-",
        ]
    )
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
