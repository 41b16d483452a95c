"""The report of an import: its problems (errors and warnings, located in the package), the
columns converted from legacy encodings, and what was created or skipped."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from grassroots.core.text import format_number
from grassroots.interchange.reader import Conversion

#: Labels of the counts in reports.
COUNT_LABELS = {
    "places": "địa bàn mới",
    "place_versions": "phiên bản địa bàn",
    "place_versions_closed": "phiên bản địa bàn được kết thúc",
    "place_lineage": "biến động địa giới",
    "organizations": "tổ chức đảng mới",
    "organization_versions": "phiên bản tổ chức đảng",
    "organization_versions_closed": "phiên bản tổ chức đảng được kết thúc",
    "members": "đảng viên mới",
    "members_updated": "hồ sơ đảng viên được cập nhật",
    "member_events": "sự kiện đảng viên",
    "candidates": "quần chúng (nguồn kết nạp)",
    "candidate_steps": "bước phát triển đảng viên",
    "admission_targets": "chỉ tiêu kết nạp",
    "ratings": "xếp loại chất lượng",
    "terms": "nhiệm kỳ",
    "documents": "văn bản",
    "document_links": "liên kết văn bản",
    "tasks": "nhiệm vụ",
    "task_reports": "báo cáo tiến độ nhiệm vụ",
}


@dataclass(frozen=True)
class Problem:
    """One error or warning, located in the package."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


@dataclass
class ImportReport:
    """What an import found and did; stored as JSON on the job, printed by the command."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    conversions: list[Conversion] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    rows: int = 0
    seconds: float = 0.0
    #: How many errors were found: ``errors`` lists only the first ones (and a line saying so).
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_total(self) -> int:
        return self.error_count or len(self.errors)

    @property
    def changed(self) -> int:
        return sum(self.created.values())

    def count_lines(self) -> list[str]:
        return [
            f"{label}: {self.created[key]}"
            + (f" (bỏ qua {self.skipped[key]} đã có)" if self.skipped[key] else "")
            for key, label in COUNT_LABELS.items()
            if self.created[key] or self.skipped[key]
        ]

    def as_text(self) -> str:
        lines = [str(p) for p in self.errors]
        if self.errors:
            lines.append(
                f"Không nhập: {format_number(self.error_total)} lỗi. Cơ sở dữ liệu không thay đổi."
            )
        else:
            if not self.changed:
                lines.append("Không có thay đổi: dữ liệu trong gói đã có đầy đủ.")
            lines += self.count_lines()
        lines += [f"Cảnh báo: {p}" for p in self.warnings]
        lines += [str(c) for c in self.conversions]
        lines += [f"Bỏ qua tệp không thuộc định dạng: {name}" for name in self.ignored]
        return "\n".join(lines)

    def as_json(self) -> dict:
        def problems(items):
            return [[p.file, p.line, p.column, p.message] for p in items]

        return {
            "errors": problems(self.errors),
            "warnings": problems(self.warnings),
            "conversions": [[c.file, c.column, c.encoding] for c in self.conversions],
            "ignored": self.ignored,
            "created": dict(self.created),
            "skipped": dict(self.skipped),
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "error_count": self.error_count,
        }

    @classmethod
    def from_json(cls, data: dict) -> ImportReport:
        return cls(
            errors=[Problem(*p) for p in data.get("errors", [])],
            warnings=[Problem(*p) for p in data.get("warnings", [])],
            conversions=[Conversion(*c) for c in data.get("conversions", [])],
            ignored=list(data.get("ignored", [])),
            created=Counter(data.get("created", {})),
            skipped=Counter(data.get("skipped", {})),
            rows=data.get("rows", 0),
            seconds=data.get("seconds", 0.0),
            error_count=data.get("error_count", 0),
        )
