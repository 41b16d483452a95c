"""The limits of an import (``policy.IMPORT_*``): what one upload or package may cost the machine.

Each check refuses before any work, with a Vietnamese message (:class:`PackageError`): the size of
an upload; the declared sizes of a .zip's files (total decompressed size and compression ratio,
read from the archive's directory before anything is decompressed) and then, while streaming,
every file cut off at its declared size; the rows of a CSV file (counted while its bytes are
scanned, stopping at the limit) or of an .xlsx sheet.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import IO

from grassroots import policy

#: Files smaller than this are not held to the compression ratio (tiny files compress oddly).
RATIO_MIN_BYTES = 64 * 1024


class PackageError(ValueError):
    """The package cannot be read at all (not a folder, .zip or .xlsx; a damaged file; past a
    limit)."""


def size_text(size: int) -> str:
    """Bytes as Vietnamese text: ``"100 MB"``, ``"1,5 GB"``."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            value = f"{size / factor:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{value} {unit}"
    return f"{size} byte"


def number_text(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_upload(size: int, name: str) -> None:
    limit = policy.get("IMPORT_MAX_UPLOAD_BYTES")
    if size > limit:
        raise PackageError(upload_message(name, limit))


def upload_message(name: str, limit: int) -> str:
    return (
        f"Tệp {name} quá lớn: mỗi lần chỉ được tải lên tối đa {size_text(limit)}. "
        "Hãy chia gói dữ liệu thành nhiều gói nhỏ hơn."
    )


def check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """The declared sizes of ``archive``: total decompressed size and each file's compression
    ratio (read from the directory: nothing is decompressed)."""
    total_limit = policy.get("IMPORT_MAX_UNPACKED_BYTES")
    ratio = policy.get("IMPORT_MAX_RATIO")
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size > RATIO_MIN_BYTES and info.file_size > ratio * max(1, info.compress_size):
            raise PackageError(
                f"Tệp {name} bị từ chối: tệp {info.filename} nén {size_text(info.compress_size)} "
                f"nhưng giải nén ra {size_text(info.file_size)} (gấp hơn {ratio} lần), "
                "không giống một gói dữ liệu CSV."
            )
        if total > total_limit:
            raise PackageError(
                f"Tệp {name} bị từ chối: khi giải nén vượt quá {size_text(total_limit)}. "
                "Hãy chia gói dữ liệu thành nhiều gói nhỏ hơn."
            )


def unpacked_size(handle: IO[bytes]) -> int:
    """The size ``handle`` (a .zip or .xlsx) declares once decompressed; its own size when it is
    not a zip."""
    try:
        with zipfile.ZipFile(handle) as archive:
            return sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        handle.seek(0, io.SEEK_END)
        return handle.tell()


class _Bounded(io.RawIOBase):
    """A stream of one file of an archive, refused past ``limit`` bytes."""

    def __init__(self, raw: IO[bytes], limit: int, message: str):
        self._raw, self._limit, self._message, self._count = raw, limit, message, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._raw.read(len(buffer))
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a damaged or lying archive
            raise PackageError(f"{self._message} ({exc})") from exc
        n = len(data)
        self._count += n
        if self._count > self._limit:
            raise PackageError(self._message)
        buffer[:n] = data
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    """``info``'s file, cut off (refused) past its declared size while it is streamed."""
    limit = min(info.file_size, policy.get("IMPORT_MAX_UNPACKED_BYTES"))
    message = (
        f"Tệp {info.filename} trong gói dữ liệu bị hỏng hoặc dài hơn kích thước khai báo "
        f"({number_text(info.file_size)} byte)"
    )
    return io.BufferedReader(_Bounded(archive.open(info), limit, message), 1 << 16)


def rows_message(file_name: str, limit: int) -> str:
    return (
        f"Tệp {file_name} có hơn {number_text(limit)} dòng, vượt giới hạn của một lần nhập. "
        "Hãy chia tệp thành nhiều gói nhỏ hơn."
    )
