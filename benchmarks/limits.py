"""How fast and in how little memory the import limits refuse (issue 17), beside a floor.

    python benchmarks/limits.py [--workdir DIR] [--bomb-gib 2] [--upload-mb 200]

Each measurement runs in its own process (Django set up on a fresh SQLite database under the
work folder, default ``var/bench-limits/``); the time is the operation's alone, the memory the
process's peak (``wait4``: Django's own footprint included — the floor shows it):

- ``floor``: import a tiny valid package (2 members) with ``grassroots import``'s service;
- ``bomb``: the same service on a .zip of a few MB that expands to ``--bomb-gib`` GiB of NUL
  bytes (refused by its compression ratio before anything is decompressed);
- ``floor_upload``: the tiny package, zipped, posted to the upload page (accepted, one job
  queued on the database queue, not run);
- ``bomb_upload``: the bomb .zip posted to the upload page (refused by the form, no job queued);
- ``upload``: a ``--upload-mb`` MB file posted to the upload page, streamed to Django as a
  server would (refused while it arrives, past ``IMPORT_MAX_UPLOAD_BYTES``; nothing stored).

Prints one line per measurement, and last a JSON line with every figure. Acceptance (issue 17):
the bomb and the oversized upload refused in under 2 s with under 200 MB of memory.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
KINDS = ("floor", "bomb", "floor_upload", "bomb_upload", "upload")
TINY = {
    "members.csv": "member_id,full_name,gender,birth_date\n"
    "B1,Lò Văn Minh,male,1990-05-01\nB2,Lù Thị Bình,female,1985-01-01\n"
}


def bomb(path: Path, gib: int) -> Path:
    """A .zip whose members.csv is ``gib`` GiB of NUL bytes (cached: it takes seconds)."""
    if path.exists():
        return path
    block = b"\0" * (1 << 24)
    partial = path.with_suffix(".part")
    with (
        zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("members.csv", "w", force_zip64=True) as handle,
    ):
        for _ in range(gib * 64):
            handle.write(block)
    partial.rename(path)
    return path


class _Body:
    """A multipart body produced as it is read: a file of ``size`` bytes, never in memory."""

    def __init__(self, boundary: str, name: str, size: int):
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: application/zip\r\n\r\n'
        ).encode()
        self.parts = [head, size, f"\r\n--{boundary}--\r\n".encode()]
        self.length = len(head) + size + len(self.parts[2])
        self.block = b"x" * (1 << 16)

    def read(self, n: int = -1) -> bytes:
        out = bytearray()
        want = self.length if n is None or n < 0 else n
        while len(out) < want and self.parts:
            part = self.parts[0]
            if isinstance(part, int):
                take = min(part, want - len(out))
                while take:
                    chunk = self.block[: min(take, len(self.block))]
                    out += chunk
                    take -= len(chunk)
                    self.parts[0] = part = part - len(chunk)
                if not part:
                    self.parts.pop(0)
            else:
                take = part[: want - len(out)]
                out += take
                rest = part[len(take) :]
                if rest:
                    self.parts[0] = rest
                else:
                    self.parts.pop(0)
        return bytes(out)

    def readline(self, *args) -> bytes:  # not used by the multipart parser
        raise NotImplementedError


def child(kind: str, workdir: Path, bomb_path: Path, upload_mb: int) -> dict:
    """One measurement, in this (child) process."""
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from grassroots.accounts.services import user_create
    from grassroots.interchange.models import ImportJob
    from grassroots.interchange.services import import_job_create, import_job_run

    def run(path) -> tuple[float, str]:
        job = import_job_create(acting_user=None, source_name=str(path))
        started = time.perf_counter()
        report = import_job_run(job=job, source=path)
        return time.perf_counter() - started, (report.errors[0].message if report.errors else "")

    if kind == "floor":
        folder = Path(tempfile.mkdtemp(dir=workdir))
        for name, text in TINY.items():
            (folder / name).write_text(text, encoding="utf-8")
        seconds, message = run(folder)
        return {"seconds": seconds, "refused": message}
    if kind == "bomb":
        seconds, message = run(bomb_path)
        return {"seconds": seconds, "refused": message}

    from django.conf import settings
    from django.contrib.auth import get_user_model

    # argon2 takes 100 MB to hash a password: not what is measured here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    user = get_user_model().objects.filter(username="bench-limits").first() or user_create(
        username="bench-limits", password="bench-mật-khẩu-dài-2026", roles=["editor"]
    )
    client = Client()
    client.force_login(user)
    boundary = "grassroots-bench-boundary"
    data = b""
    if kind == "bomb_upload":
        data = bomb_path.read_bytes()
    elif kind == "floor_upload":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file_name, text in TINY.items():
                archive.writestr(file_name, text)
        data = buffer.getvalue()
    name = {"bomb_upload": bomb_path.name, "floor_upload": "nho.zip"}.get(kind, "lon.zip")
    body = _Body(boundary, name, len(data) if data else upload_mb * 1024 * 1024)
    if data:
        head, _, tail = body.parts
        body.parts = [head + data + tail]
    jobs = ImportJob.objects.count()
    environ = client._base_environ(
        REQUEST_METHOD="POST",
        PATH_INFO=reverse("interchange:upload"),
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(body.length),
        SERVER_NAME="127.0.0.1",
        HTTP_HOST="127.0.0.1",
        **{"wsgi.input": body},
    )
    started = time.perf_counter()
    response = client.handler(environ)
    seconds = time.perf_counter() - started
    text = response.content.decode()
    refused = next(
        (m for m in ("quá lớn", "gấp hơn") if m in text and response.status_code == 200), ""
    )
    return {
        "seconds": seconds,
        "refused": refused,
        "status": response.status_code,
        "jobs_queued": ImportJob.objects.count() - jobs,
    }


def measure(kind: str, env: dict, args) -> dict:
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", kind, "--workdir", str(args.workdir),
         "--bomb-gib", str(args.bomb_gib), "--upload-mb", str(args.upload_mb)],
        env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    output = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{kind} failed:\n{output}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench-limits")
    parser.add_argument("--bomb-gib", type=int, default=2)
    parser.add_argument("--upload-mb", type=int, default=200)
    parser.add_argument("--child", choices=KINDS)
    args = parser.parse_args(argv)
    args.workdir = args.workdir.resolve()
    bomb_path = args.workdir / f"bomb-{args.bomb_gib}gib.zip"
    if args.child:
        print(json.dumps(child(args.child, args.workdir, bomb_path, args.upload_mb)))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    var = Path(tempfile.mkdtemp(prefix="var-", dir=args.workdir))
    env = {
        **os.environ,
        "GRASSROOTS_VAR": str(var),
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])),
    }  # fmt: skip
    env.pop("DATABASE_URL", None)
    env["DEBUG"] = "1"  # static files without a manifest (no collectstatic here)
    subprocess.run([sys.executable, "-m", "grassroots", "migrate", "-v", "0"], env=env, check=True)
    started = time.perf_counter()
    bomb(bomb_path, args.bomb_gib)
    print(f"bomb: {bomb_path.stat().st_size / 1e6:.1f} MB zip → {args.bomb_gib} GiB "
          f"(built in {time.perf_counter() - started:.1f} s, cached)", flush=True)  # fmt: skip
    figures: dict[str, float | str | int] = {}
    for kind in KINDS:
        result = measure(kind, env, args)
        figures[f"{kind}_s"] = round(result["seconds"], 3)
        figures[f"{kind}_peak_mb"] = round(result["peak_mb"], 1)
        extra = ""
        if not kind.startswith("floor"):
            extra = f"  refused: {result['refused'] or 'NO'}"
            figures[f"{kind}_refused"] = bool(result["refused"])
        if "jobs_queued" in result:
            extra += f", jobs queued: {result['jobs_queued']}"
        print(f"{kind:12} {result['seconds']:8.3f} s  peak {result['peak_mb']:7.1f} MB{extra}",
              flush=True)  # fmt: skip
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
