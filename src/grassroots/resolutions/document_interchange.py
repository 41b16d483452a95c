"""The optional files of the interchange format for party documents and the tasks of action
programmes (docs/interchange.md, "Documents and tasks"): ``terms.csv``, ``documents.csv``,
``document_links.csv``, ``tasks.csv`` and ``task_reports.csv``.

Imported after the registry's own files, inside the import's write transaction, row by row
through ``resolutions.services`` (every rule of the pages applies, and every row written leaves
its audit record as on the pages); any problem is reported as ``file:line: column: message`` and
rolls the whole import back. Terms come first (a document's number belongs to the term of its
day of issue), then documents, their links, tasks with the state they reached, and their
progress reports.

A document of the registry keeps the number it was given (``services.document_create`` with
``keep_number``): the number must be free in its sequence and term, and the sequence's counter
is advanced past it, so the next document created on the page is numbered after it. A document
is named, in links and tasks, by its issuing organisation's code (blank for a body outside the
registry), its number and its day of issue (the day may be left blank when the number names one
document of that organisation).

A row equal to what is stored is skipped, so importing twice changes nothing; a row that
differs from a stored term, document or task is a problem (the package does not silently
rewrite a document). Line breaks of a summary or an expected result are written ``\\n`` in the
file (the reader makes every cell one line).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import F, Q

from grassroots.core.errors import NotFound, RuleError
from grassroots.core.temporal import parse_date
from grassroots.core.text import nfc
from grassroots.organizations.models import Organization
from grassroots.resolutions import services
from grassroots.resolutions.indicator_interchange import _message, _Rows
from grassroots.resolutions.models import (
    Document,
    DocumentLink,
    DocumentType,
    LinkKind,
    Task,
    TaskReport,
    TaskStatus,
    Term,
)

TERMS, DOCUMENTS, LINKS, TASKS = "terms.csv", "documents.csv", "document_links.csv", "tasks.csv"
REPORTS = "task_reports.csv"
#: The columns that name a task (its programme, assignee, title and deadline).
TASK_KEY = (
    "programme_organization_code",
    "programme_number",
    "programme_issued_on",
    "organization_code",
    "title",
    "deadline",
)

COLUMNS: dict[str, tuple[str, ...]] = {
    TERMS: ("organization_code", "starts_on", "label"),
    DOCUMENTS: (
        "organization_code",
        "number",
        "type",
        "issued_on",
        "term_start",
        "title",
        "summary",
        "signer",
        "issuer_name",
        "superior_name",
        "place_name",
    ),
    LINKS: (
        "organization_code",
        "number",
        "issued_on",
        "kind",
        "target_organization_code",
        "target_number",
        "target_issued_on",
    ),
    TASKS: (
        "programme_organization_code",
        "programme_number",
        "programme_issued_on",
        "organization_code",
        "title",
        "expected_result",
        "deadline",
        "status",
        "percent",
        "closed_on",
    ),
    REPORTS: (*TASK_KEY, "date", "percent", "note", "status"),
}
REQUIRED: dict[str, frozenset[str]] = {
    TERMS: frozenset({"organization_code", "starts_on"}),
    DOCUMENTS: frozenset({"number", "type", "issued_on", "title"}),
    LINKS: frozenset({"number", "kind", "target_number"}),
    TASKS: frozenset(
        {
            "programme_organization_code",
            "programme_number",
            "organization_code",
            "title",
            "deadline",
        }
    ),
    REPORTS: frozenset(
        {
            "programme_organization_code",
            "programme_number",
            "organization_code",
            "title",
            "deadline",
            "date",
            "percent",
            "note",
        }
    ),
}

#: The columns of a rule's code (``RuleError.code``) in documents.csv and tasks.csv.
DOCUMENT_COLUMN = {
    "type": "type",
    "number": "number",
    "duplicate_number": "number",
    "issuer_code": "number",
    "issued_in_future": "issued_on",
    "no_term": "issued_on",
    "organization_not_valid": "issued_on",
    "organization_out_of_scope": "organization_code",
    "required": "title",
}
TASK_COLUMN = {
    "not_a_programme": "programme_number",
    "deadline": "deadline",
    "assignee_outside": "organization_code",
    "status": "status",
    "percent": "percent",
    "closed_on": "closed_on",
    "closed_on_open": "closed_on",
    "required": "title",
    "too_long": "title",
}


def _block(cell: str) -> str:
    """A summary or an expected result as stored: ``\\n`` in the file is a line break."""
    return services._text_block(cell.replace("\\n", "\n"))


def _cell_block(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def _number(text: str, internal: bool) -> str:
    """A document number as stored: without spaces; a registry's number with its sequence on
    two digits at least (``7-NQ/HU`` is ``07-NQ/HU``)."""
    number = text.replace(" ", "")
    match = services.EXTERNAL_NUMBER.match(number)
    if internal and match:
        return services.format_number(int(match[1]), match[2], match[3])
    return number


def _day(out: _Rows, file: str, line: int, row: dict, column: str, *, required=True):
    """The date in ``column``; None when blank (an error when required) or invalid."""
    text = row.get(column, "")
    if not text:
        if required:
            out.error(file, line, column, "cần nhập ngày (YYYY-MM-DD).")
        return None
    day = parse_date(text)
    if day is None:
        out.error(file, line, column, f"ngày không hợp lệ: '{text}' (cần YYYY-MM-DD).")
    return day


def _clean(row: dict) -> dict[str, str]:
    return {
        k: nfc(v) if k not in ("summary", "expected_result") else (v or "") for k, v in row.items()
    }


class _Context:
    """The acting user and what the rows look up, once per import."""

    def __init__(self, out: _Rows, user) -> None:
        self.out = out
        self.user = user
        self._organizations: dict[str, Organization | None] = {}

    def organization(self, file: str, line: int, column: str, code: str) -> Organization | None:
        if code not in self._organizations:
            self._organizations[code] = (
                Organization.objects.visible_to(self.user).filter(code=code).first()
            )
        found = self._organizations[code]
        if found is None:
            self.out.error(file, line, column, f"không tìm thấy tổ chức mã {code}.")
        return found

    def document(
        self, file: str, line: int, prefix: str, row: dict, number_column: str
    ) -> Document | None:
        """The document a row names by ``<prefix>organization_code``, ``number_column`` and
        ``<prefix>issued_on`` (blank: the number must name one document)."""
        org_code = row.get(f"{prefix}organization_code", "")
        org = None
        if org_code:
            org = self.organization(file, line, f"{prefix}organization_code", org_code)
            if org is None:
                return None
        number = _number(row.get(number_column, ""), org is not None)
        issued_on = _day(out=self.out, file=file, line=line, row=row, column=f"{prefix}issued_on",
                         required=False)  # fmt: skip
        if row.get(f"{prefix}issued_on") and issued_on is None:
            return None
        found = Document.objects.visible_to(self.user).filter(
            Q(organization=org) if org else Q(organization__isnull=True), number=number
        )
        if issued_on is not None:
            found = found.filter(issued_on=issued_on)
        matches = list(found.order_by("issued_on", "pk")[:2])
        whose = f" của tổ chức {org_code}" if org_code else " ngoài hệ thống"
        if not matches:
            on = f" ngày {issued_on:%d/%m/%Y}" if issued_on else ""
            self.out.error(
                file, line, number_column, f"không tìm thấy văn bản số {number}{whose}{on}."
            )
            return None
        if len(matches) > 1:
            self.out.error(
                file,
                line,
                f"{prefix}issued_on",
                f"có nhiều văn bản số {number}{whose} (các nhiệm kỳ khác nhau): cần ngày ban hành.",
            )
            return None
        return matches[0]


def import_rows(tables: dict[str, list[tuple[int, dict]]], *, acting_user) -> _Rows:
    """Import the five files (``{file: [(line, row)]}``); call inside a transaction and roll it
    back when ``problems`` is not empty."""
    out = _Rows()
    context = _Context(out, acting_user)
    _terms(context, tables.get(TERMS, []))
    _documents(context, tables.get(DOCUMENTS, []))
    _links(context, tables.get(LINKS, []))
    _tasks(context, tables.get(TASKS, []))
    _reports(context, tables.get(REPORTS, []))
    return out


def _terms(context: _Context, rows) -> None:
    out = context.out
    for line, raw in rows:
        row = _clean(raw)
        org = context.organization(
            TERMS, line, "organization_code", row.get("organization_code", "")
        )
        starts_on = _day(out, TERMS, line, row, "starts_on")
        if org is None or starts_on is None:
            continue
        label = row.get("label", "")
        stored = Term.objects.filter(organization=org, starts_on=starts_on).first()
        if stored is not None:
            if stored.label == label:
                out.skipped["terms"] += 1
            else:
                out.error(
                    TERMS,
                    line,
                    "label",
                    f"Đã có nhiệm kỳ bắt đầu ngày {starts_on:%d/%m/%Y} của {org.code} với tên "
                    f"“{stored.label}”.",
                )
            continue
        try:
            services.term_record(
                acting_user=context.user, organization=org, starts_on=starts_on, label=label
            )
            out.created["terms"] += 1
        except RuleError as exc:
            column = "label" if exc.code == "too_long" else "starts_on"
            if exc.code == "organization_out_of_scope":
                column = "organization_code"
            out.error(TERMS, line, column, _message(exc))


def _same_document(stored: Document, data: dict[str, Any]) -> bool:
    return all(getattr(stored, k) == v for k, v in data.items() if v or k in ("summary", "signer"))


def _documents(context: _Context, rows) -> None:
    out = context.out
    for line, raw in rows:
        row = _clean(raw)
        org_code = row.get("organization_code", "")
        org = None
        if org_code:
            org = context.organization(DOCUMENTS, line, "organization_code", org_code)
            if org is None:
                continue
        doc_type = row.get("type", "")
        if doc_type not in DocumentType.values:
            codes = ", ".join(DocumentType.values)
            out.error(DOCUMENTS, line, "type", f"loại văn bản '{doc_type}' không hợp lệ ({codes}).")
            continue
        issued_on = _day(out, DOCUMENTS, line, row, "issued_on")
        term_start = _day(out, DOCUMENTS, line, row, "term_start", required=False)
        if issued_on is None or (row.get("term_start") and term_start is None):
            continue
        number = _number(row.get("number", ""), org is not None)
        data: dict[str, Any] = {
            "type": doc_type,
            "title": row.get("title", ""),
            "summary": _block(raw.get("summary") or ""),
            "signer": row.get("signer", ""),
            "issuer_name": row.get("issuer_name", ""),
            "superior_name": row.get("superior_name", ""),
            "place_name": row.get("place_name", ""),
        }
        stored = Document.objects.filter(
            Q(organization=org) if org else Q(organization__isnull=True),
            number=number,
            issued_on=issued_on,
        ).first()
        if stored is not None:
            if _same_document(stored, data) and term_start in (None, stored.term_start):
                out.skipped["documents"] += 1
            else:
                out.error(
                    DOCUMENTS,
                    line,
                    "number",
                    f"Đã có văn bản số {number} ngày {issued_on:%d/%m/%Y} với nội dung khác "
                    "(sửa trên trang văn bản).",
                )
            continue
        if org is not None and term_start is not None:
            try:
                computed = services.term_start_for(org, issued_on)
            except RuleError as exc:
                out.error(DOCUMENTS, line, "issued_on", _message(exc))
                continue
            if computed != term_start:
                out.error(
                    DOCUMENTS,
                    line,
                    "term_start",
                    f"Ngày ban hành {issued_on:%d/%m/%Y} thuộc nhiệm kỳ bắt đầu ngày "
                    f"{computed:%d/%m/%Y} của {org.code}, không phải {term_start:%d/%m/%Y} "
                    "(ghi nhận nhiệm kỳ trong terms.csv).",
                )
                continue
        data["doc_type"] = data.pop("type")
        _write(
            out,
            DOCUMENTS,
            line,
            services.document_create,
            dict(
                acting_user=context.user,
                organization=org,
                issued_on=issued_on,
                number=number,
                keep_number=True,
                **data,
            ),
            columns=lambda code: DOCUMENT_COLUMN.get(code, "title"),
            outside=("organization_code", f"Tổ chức {org_code} nằm ngoài phạm vi của bạn."),
        )


def _links(context: _Context, rows) -> None:
    out = context.out
    for line, raw in rows:
        row = _clean(raw)
        kind = row.get("kind", "")
        if kind not in LinkKind.values:
            codes = ", ".join(LinkKind.values)
            out.error(LINKS, line, "kind", f"quan hệ '{kind}' không hợp lệ ({codes}).")
            continue
        source = context.document(LINKS, line, "", row, "number")
        target = context.document(LINKS, line, "target_", row, "target_number")
        if source is None or target is None:
            continue
        if DocumentLink.objects.filter(source=source, target=target, kind=kind).exists():
            out.skipped["document_links"] += 1
            continue
        _write(
            out,
            LINKS,
            line,
            services.document_link,
            {"acting_user": context.user, "source": source, "target": target, "kind": kind},
            columns=lambda code: "kind" if code == "link_kind" else "target_number",
            outside=("number", f"Văn bản số {source.number} nằm ngoài phạm vi của bạn."),
        )


def _tasks(context: _Context, rows) -> None:
    out = context.out
    # The n-th row of a (programme, assignee, title, deadline) is the n-th such stored task.
    seen: dict[tuple, int] = defaultdict(int)
    for line, raw in rows:
        row = _clean(raw)
        programme = context.document(TASKS, line, "programme_", row, "programme_number")
        org = context.organization(
            TASKS, line, "organization_code", row.get("organization_code", "")
        )
        deadline = _day(context.out, TASKS, line, row, "deadline")
        closed_on = _day(context.out, TASKS, line, row, "closed_on", required=False)
        status = row.get("status") or TaskStatus.OPEN
        percent_text = row.get("percent", "")
        if percent_text and not percent_text.isdigit():
            out.error(TASKS, line, "percent", f"tiến độ '{percent_text}' phải là số từ 0 đến 100.")
            continue
        if programme is None or org is None or deadline is None:
            continue
        if row.get("closed_on") and closed_on is None:
            continue
        title = row.get("title", "")
        key = (programme.pk, org.pk, title, deadline)
        index = seen[key]
        seen[key] += 1
        data: dict[str, Any] = {
            "expected_result": _block(raw.get("expected_result") or ""),
            "status": status,
            "percent": int(percent_text) if percent_text else None,
            "closed_on": closed_on,
        }
        stored = list(
            Task.objects.filter(
                programme=programme, organization=org, title=title, deadline=deadline
            ).order_by("pk")[index : index + 1]
        )
        if stored:
            task = stored[0]
            if data["percent"] is None:
                data["percent"] = 100 if status == TaskStatus.DONE else task.percent
            if all(getattr(task, k) == v for k, v in data.items()):
                out.skipped["tasks"] += 1
            else:
                out.error(
                    TASKS,
                    line,
                    "title",
                    f"Đã có nhiệm vụ “{title}” của {org.code} theo văn bản số "
                    f"{programme.number} với tình trạng khác (báo cáo trên trang nhiệm vụ).",
                )
            continue
        _write(
            out,
            TASKS,
            line,
            services.task_import,
            dict(
                acting_user=context.user,
                programme=programme,
                organization=org,
                title=title,
                deadline=deadline,
                **data,
            ),
            columns=lambda code: TASK_COLUMN.get(code, "title"),
            outside=(
                "programme_number",
                f"Văn bản số {programme.number} nằm ngoài phạm vi của bạn.",
            ),
        )


REPORT_COLUMN = {
    "status": "status",
    "report_closing": "status",
    "percent": "percent",
    "required": "note",
    "too_long": "note",
}


def _reports(context: _Context, rows) -> None:
    """Progress reports of the tasks (stored or imported just before), in date order per task;
    a report of a task named by several stored tasks is refused (the key is ambiguous)."""
    out = context.out
    seen: dict[tuple, int] = defaultdict(int)
    for line, raw in rows:
        row = _clean(raw)
        programme = context.document(REPORTS, line, "programme_", row, "programme_number")
        org = context.organization(
            REPORTS, line, "organization_code", row.get("organization_code", "")
        )
        deadline = _day(out, REPORTS, line, row, "deadline")
        day = _day(out, REPORTS, line, row, "date")
        percent_text = row.get("percent", "")
        if not percent_text.isdigit():
            out.error(
                REPORTS, line, "percent", f"tiến độ '{percent_text}' phải là số từ 0 đến 100."
            )
            continue
        if programme is None or org is None or deadline is None or day is None:
            continue
        title = row.get("title", "")
        tasks = list(
            Task.objects.filter(
                programme=programme, organization=org, title=title, deadline=deadline
            )[:2]
        )
        if len(tasks) != 1:
            message = (
                f"không tìm thấy nhiệm vụ “{title}” của {org.code} theo văn bản số "
                f"{programme.number}, thời hạn {deadline:%d/%m/%Y}."
                if not tasks
                else f"có nhiều nhiệm vụ “{title}” của {org.code} cùng thời hạn: không xác "
                "định được báo cáo thuộc nhiệm vụ nào."
            )
            out.error(REPORTS, line, "title", message)
            continue
        (task,) = tasks
        data: dict[str, Any] = {
            "percent": int(percent_text),
            "note": row.get("note", ""),
            "status": row.get("status") or TaskStatus.OPEN,
        }
        key = (task.pk, day, *data.values())
        index = seen[key]
        seen[key] += 1
        if task.reports.filter(date=day, **data).count() > index:
            out.skipped["task_reports"] += 1
            continue
        _write(
            out,
            REPORTS,
            line,
            services.task_report_import,
            dict(acting_user=context.user, task=task, day=day, **data),
            columns=lambda code: REPORT_COLUMN.get(code, "date"),
            outside=("organization_code", "Nhiệm vụ nằm ngoài phạm vi của bạn."),
        )


def _write(
    out, file: str, line: int, service, arguments: dict, *, columns, outside: tuple[str, str]
) -> None:
    """One row through its ``service`` (called with ``arguments``): counted as created in ``file``, or the service's refusal
    reported on the row — in the column ``columns(code)`` names for a rule, in ``outside``'s
    column with its message when the record is outside the user's scope."""
    try:
        service(**arguments)
        out.created[file.removesuffix(".csv")] += 1
    except RuleError as exc:
        out.error(file, line, columns(exc.code or ""), _message(exc))
    except NotFound:
        out.error(file, line, *outside)


def _date(day: date | None) -> str:
    return day.isoformat() if day else ""


def export_tables(organization_ids: set[int]) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The terms and documents of the organisations ``organization_ids``, the documents outside
    the registry theirs link to (or that link to them), those links, and the tasks of their
    programmes; files without rows are left out."""
    own = Document.objects.filter(organization_id__in=organization_ids)
    links = list(
        DocumentLink.objects.filter(Q(source__in=own) | Q(target__in=own))
        .filter(
            Q(source__organization_id__in=organization_ids) | Q(source__organization__isnull=True),
            Q(target__organization_id__in=organization_ids) | Q(target__organization__isnull=True),
        )
        .select_related("source__organization", "target__organization")
    )
    external = {d.pk for link in links for d in (link.source, link.target) if d.external}
    documents = list(
        Document.objects.filter(Q(pk__in=own.values("pk")) | Q(pk__in=external))
        .select_related("organization")
        .order_by(
            # Documents outside the registry first, on every database.
            F("organization__code").asc(nulls_first=True),
            "issued_on",
            "sequence_group",
            "sequence",
            "number",
            "pk",
        )
    )
    terms = (
        Term.objects.filter(organization_id__in=organization_ids)
        .select_related("organization")
        .order_by("organization__code", "starts_on")
    )
    tasks = (
        Task.objects.filter(programme__in=own)
        .select_related("programme__organization", "organization")
        .order_by(
            "programme__organization__code",
            "programme__issued_on",
            "programme__number",
            "organization__code",
            "deadline",
            "title",
            "pk",
        )
    )

    reports = (
        TaskReport.objects.filter(task__programme__in=own)
        .select_related("task__programme__organization", "task__organization")
        .order_by(
            "task__programme__organization__code",
            "task__programme__issued_on",
            "task__programme__number",
            "task__organization__code",
            "task__deadline",
            "task__title",
            "task_id",
            "date",
            "pk",
        )
    )

    def code(org: Organization | None) -> str:
        return org.code if org else ""

    links.sort(
        key=lambda k: (
            code(k.source.organization), k.source.issued_on, k.source.number, k.kind,
            code(k.target.organization), k.target.issued_on, k.target.number,
        )
    )  # fmt: skip
    tables = {
        TERMS: [[t.organization.code, t.starts_on.isoformat(), t.label] for t in terms],
        DOCUMENTS: [
            [
                code(d.organization),
                d.number,
                d.type,
                d.issued_on.isoformat(),
                _date(d.term_start),
                d.title,
                _cell_block(d.summary),
                d.signer,
                d.issuer_name,
                d.superior_name,
                d.place_name,
            ]
            for d in documents
        ],
        LINKS: [
            [
                code(k.source.organization),
                k.source.number,
                k.source.issued_on.isoformat(),
                k.kind,
                code(k.target.organization),
                k.target.number,
                k.target.issued_on.isoformat(),
            ]
            for k in links
        ],
        TASKS: [
            [
                code(t.programme.organization),
                t.programme.number,
                t.programme.issued_on.isoformat(),
                t.organization.code,
                t.title,
                _cell_block(t.expected_result),
                t.deadline.isoformat(),
                t.status,
                str(t.percent),
                _date(t.closed_on),
            ]
            for t in tasks
        ],
        REPORTS: [
            [
                code(r.task.programme.organization),
                r.task.programme.number,
                r.task.programme.issued_on.isoformat(),
                r.task.organization.code,
                r.task.title,
                r.task.deadline.isoformat(),
                r.date.isoformat(),
                str(r.percent),
                r.note,
                r.status,
            ]
            for r in reports
        ],
    }
    return {name: (list(COLUMNS[name]), rows) for name, rows in tables.items() if rows}
