"""Writes of party documents, their links, terms, and the tasks of action programmes.

Rules (DOMAIN.md, "Documents, action programmes and tasks"; Hướng dẫn 36-HD/VPTW):
- a document of an organisation of the registry is numbered automatically ``<n>-<TYPE>/<ISSUER>``
  from 01 per type within the organisation's term (:func:`term_start_for`); the documents of a
  congress (issuer ``ĐH``) share one sequence. The next number is taken from the
  :class:`~grassroots.resolutions.models.DocumentCounter` row, locked for the transaction
  (``select_for_update``), and a unique constraint guards it: two concurrent writers never get
  the same number;
- a document of a body outside the registry (TW, TU…) is recorded with its number as printed;
- a file is a PDF or a DOCX, read by its content (not its name), at most
  ``DOCUMENT_MAX_FILE_BYTES``;
- a task belongs to a programme or plan (CTr, KH, ĐA) issued by an organisation of the registry,
  is assigned to organisations of the issuer's subtree, and is reported on by its assignee;
- every write is inside the acting user's scope (checked before and after), atomic and audited.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from grassroots import policy
from grassroots.core import scope
from grassroots.core.errors import RuleError
from grassroots.core.locking import check_not_stale
from grassroots.core.temporal import valid_on
from grassroots.core.text import fold, nfc
from grassroots.organizations.models import (
    CELL_KINDS,
    Organization,
    OrganizationKind,
    OrganizationVersion,
)
from grassroots.organizations.selectors import subtree_ids
from grassroots.resolutions.models import (
    CONGRESS_ISSUER,
    PROGRAMME_TYPES,
    Document,
    DocumentCounter,
    DocumentLink,
    DocumentType,
    FileType,
    LinkKind,
    Task,
    TaskReport,
    TaskStatus,
    Term,
)

# --- Terms and numbers -------------------------------------------------------------------------


def term_start_for(organization: Organization, day: date) -> date:
    """The first day of ``organization``'s term that holds ``day``: its latest recorded
    :class:`Term` starting on or before ``day``; without one, the latest of the policy's
    default term starts on or before ``day`` (``DOCUMENT_DEFAULT_TERM_STARTS``)."""
    recorded = (
        Term.objects.filter(organization=organization, starts_on__lte=day)
        .order_by("-starts_on")
        .values_list("starts_on", flat=True)
        .first()
    )
    if recorded is not None:
        return recorded
    defaults = [d for d in policy.get("DOCUMENT_DEFAULT_TERM_STARTS") if d <= day]
    if not defaults:
        raise RuleError(
            f"Không xác định được nhiệm kỳ của ngày {day:%d/%m/%Y}: hãy ghi nhận nhiệm kỳ của "
            "tổ chức đảng trước.",
            code="no_term",
        )
    return max(defaults)


def sequence_group(doc_type: str, issuer_code: str) -> str:
    """The sequence a document is numbered in: its type, or one sequence for a congress."""
    return CONGRESS_ISSUER if issuer_code == CONGRESS_ISSUER else doc_type


def format_number(sequence: int, doc_type: str, issuer_code: str) -> str:
    """``07-NQ/TU``: the sequence with at least two digits, the type, the issuer."""
    return f"{sequence:02d}-{doc_type}/{issuer_code}"


def _next_sequence(organization: Organization, group: str, term_start: date) -> int:
    """The next number of the sequence, taken under the counter row's lock (to be called
    inside the creating transaction). A counter created the first time starts from the highest
    number already recorded in the sequence (documents imported or built in bulk)."""
    key = {"organization": organization, "sequence_group": group, "term_start": term_start}
    counter = DocumentCounter.objects.select_for_update().filter(**key).first()
    if counter is None:
        highest = Document.objects.filter(**key).aggregate(n=Max("sequence"))["n"] or 0
        try:
            with transaction.atomic():
                counter = DocumentCounter.objects.create(**key, last=highest)
        except IntegrityError:
            # Another writer created it first: wait for its lock, then continue from it.
            counter = DocumentCounter.objects.select_for_update().get(**key)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _claim_sequence(organization: Organization, group: str, term_start: date, n: int) -> None:
    """Keep number ``n`` of the sequence (a document imported with its number): refused when it
    is taken; the counter is advanced past it, under its lock, so the next document created is
    numbered after it."""
    key = {"organization": organization, "sequence_group": group, "term_start": term_start}
    counter = DocumentCounter.objects.select_for_update().filter(**key).first()
    if counter is None:
        highest = Document.objects.filter(**key).aggregate(n=Max("sequence"))["n"] or 0
        try:
            with transaction.atomic():
                counter = DocumentCounter.objects.create(**key, last=highest)
        except IntegrityError:
            counter = DocumentCounter.objects.select_for_update().get(**key)
    taken = Document.objects.filter(**key, sequence=n).first()
    if taken is not None:
        raise RuleError(
            f"Số {taken.number} đã được cấp cho văn bản ban hành ngày "
            f"{taken.issued_on:%d/%m/%Y} trong cùng nhiệm kỳ.",
            code="duplicate_number",
        )
    if counter.last < n:
        counter.last = n
        counter.save(update_fields=["last"])


# --- What the header of a document says -------------------------------------------------------

_ISSUER_PREFIXES = (
    ("đảng bộ tỉnh ", "Tỉnh ủy "),
    ("đảng bộ thành phố ", "Thành ủy "),
    ("đảng bộ huyện ", "Huyện ủy "),
    ("đảng bộ thị xã ", "Thị ủy "),
    ("đảng bộ quận ", "Quận ủy "),
    ("đảng bộ xã ", "Đảng ủy xã "),
    ("đảng bộ phường ", "Đảng ủy phường "),
    ("đảng bộ thị trấn ", "Đảng ủy thị trấn "),
)
_PLACE_PREFIXES = ("tỉnh ", "thành phố ", "huyện ", "thị xã ", "quận ", "xã ", "phường ")


def issuing_body(name: str) -> str:
    """The body that signs for an organisation: "Đảng bộ huyện Nậm Nhùn" → "Huyện ủy Nậm Nhùn",
    "Đảng bộ xã Nậm Hàng" → "Đảng ủy xã Nậm Hàng"; a cell signs as itself."""
    for prefix, body in _ISSUER_PREFIXES:
        if name.lower().startswith(prefix):
            return body + name[len(prefix) :]
    if name.lower().startswith("đảng bộ "):
        return "Đảng ủy " + name[len("đảng bộ ") :]
    return name


def _place_name(name: str) -> str:
    for prefix in _PLACE_PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix) :]
    return name


def issuer_code_for(version: OrganizationVersion, place_kind: str) -> str:
    """The issuer's code after the slash: TU for a province's committee, HU for a district's,
    ĐU for a grassroots committee, CB for a cell."""
    if version.kind == OrganizationKind.COMMITTEE:
        return "TU" if place_kind == "province" else "HU"
    if version.kind == OrganizationKind.GRASSROOTS_COMMITTEE:
        return "ĐU"
    return "CB"


def header_defaults(organization: Organization, day: date) -> dict[str, str]:
    """The header's names for a document of ``organization`` issued on ``day``: the superior
    body, the issuing body, the issuer code and the place of the date line."""
    version = organization.versions.valid_on(day).select_related("place", "parent").first()
    if version is None:
        return {}
    place = version.place.version_on(day) or version.place.latest_version
    superior = ""
    if version.parent is not None:
        parent_version = version.parent.version_on(day) or version.parent.latest_version
        superior = parent_version.name if parent_version else ""
    return {
        "superior_name": superior,
        "issuer_name": issuing_body(version.name),
        "issuer_code": issuer_code_for(version, place.kind),
        "place_name": _place_name(place.name),
    }


# --- Files -------------------------------------------------------------------------------------


def file_type_of(upload: UploadedFile | Any, *, limit: int | None = None) -> str:
    """``pdf`` or ``docx``, read from the file's content; RuleError for anything else or a file
    over the size limit."""
    limit = limit or policy.get("DOCUMENT_MAX_FILE_BYTES")
    size = upload.size or 0
    if size > limit:
        raise RuleError(
            f"Tệp “{upload.name}” quá lớn ({size / 1048576:.1f} MB; tối đa "
            f"{limit / 1048576:.0f} MB).".replace(".", ","),
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return FileType.PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return FileType.DOCX
    raise RuleError(
        f"Tệp “{upload.name}” không phải PDF hay Word (.docx): chỉ nhận hai loại tệp này.",
        code="file_type",
    )


def _attach(document: Document, upload: UploadedFile) -> None:
    document.file_type = file_type_of(upload)
    document.file_size = upload.size
    document.file_name = nfc(upload.name)[:200]
    document.file.save(f"{document.file_type}.{document.file_type}", upload, save=False)


# --- Documents ---------------------------------------------------------------------------------


def _text_block(value: str) -> str:
    """Text of several lines (a summary): NFC, control characters removed, lines kept."""
    lines = [nfc(line) for line in unicodedata.normalize("NFC", value or "").splitlines()]
    return "\n".join(lines).strip()


def _clean_text(value: str, what: str, *, required: bool = False, limit: int = 500) -> str:
    text = nfc(value)
    if required and not text:
        raise RuleError(f"Cần nhập {what}.", code="required")
    if len(text) > limit:
        raise RuleError(f"{what.capitalize()} dài quá {limit} ký tự.", code="too_long")
    return text


EXTERNAL_NUMBER = re.compile(r"^(\d{1,4})-([^\s/-]{1,4})/(\S{1,16})$")


def _check_type(doc_type: str) -> None:
    if doc_type not in DocumentType.values:
        codes = ", ".join(DocumentType.values)
        raise RuleError(
            f"Loại văn bản “{doc_type}” không hợp lệ (cần một trong: {codes}).", code="type"
        )


@transaction.atomic
def document_create(
    *,
    acting_user,
    doc_type: str,
    issued_on: date,
    title: str,
    organization: Organization | None = None,
    number: str = "",
    summary: str = "",
    signer: str = "",
    issuer_code: str = "",
    superior_name: str = "",
    issuer_name: str = "",
    place_name: str = "",
    upload: UploadedFile | None = None,
    keep_number: bool = False,
) -> Document:
    """Record a document. With ``organization`` (a body of the registry inside the acting
    user's scope) it is numbered automatically; without it, it is an external document
    recorded with ``number`` as printed (``07-NQ/TU``). ``keep_number`` (the interchange
    import): a document of the registry keeps ``number``, which must be free in its sequence
    and term; the sequence's counter is advanced past it."""
    _check_type(doc_type)
    title = _clean_text(title, "trích yếu", required=True)
    values: dict[str, Any] = {
        "type": doc_type,
        "issued_on": issued_on,
        "title": title,
        "title_folded": fold(title),
        "summary": _text_block(summary),
        "signer": _clean_text(signer, "người ký", limit=120),
        "recorded_by": acting_user,
    }
    if issued_on > timezone.localdate():
        raise RuleError("Ngày ban hành không thể sau hôm nay.", code="issued_in_future")
    match = None
    if organization is None or keep_number:
        number = nfc(number).replace(" ", "")
        match = EXTERNAL_NUMBER.match(number)
        if not match or match[2] != doc_type or not int(match[1]):
            what = "văn bản ngoài hệ thống" if organization is None else "văn bản"
            raise RuleError(
                f"Số, ký hiệu “{number}” của {what} phải có dạng "
                f"<số>-{doc_type}/<cơ quan>, ví dụ 07-{doc_type}/TU.",
                code="number",
            )
    if organization is None:
        assert match is not None
        if Document.objects.filter(number=number, organization__isnull=True).exists():
            raise RuleError(f"Văn bản số {number} đã được ghi nhận.", code="duplicate_number")
        values.update(
            number=number,
            number_folded=fold(number),
            sequence=int(match[1]),
            issuer_code=match[3],
            external=True,
            superior_name=_clean_text(superior_name, "cơ quan cấp trên", limit=200),
            issuer_name=_clean_text(issuer_name, "tên cơ quan ban hành", limit=200),
            place_name=_clean_text(place_name, "địa danh", limit=80),
        )
        document = Document(**values)
    else:
        if not scope.allowed(acting_user, organization, scope.CHANGE, on=issued_on):
            raise RuleError(
                f"Tổ chức đảng {organization.code} ngoài phạm vi dữ liệu của bạn.",
                code="organization_out_of_scope",
            )
        header = header_defaults(organization, issued_on)
        if not header:
            raise RuleError(
                f"Tổ chức đảng {organization.code} chưa tồn tại vào ngày ban hành.",
                code="organization_not_valid",
            )
        issuer_code = (match[3] if match else nfc(issuer_code)) or header["issuer_code"]
        if not re.fullmatch(r"[^\s/-]{1,16}", issuer_code):
            raise RuleError(f"Ký hiệu cơ quan “{issuer_code}” không hợp lệ.", code="issuer_code")
        group = sequence_group(doc_type, issuer_code)
        term_start = term_start_for(organization, issued_on)
        if match:
            sequence = int(match[1])
            _claim_sequence(organization, group, term_start, sequence)
        else:
            sequence = _next_sequence(organization, group, term_start)
        number = format_number(sequence, doc_type, issuer_code)
        values.update(
            organization=organization,
            sequence=sequence,
            sequence_group=group,
            term_start=term_start,
            issuer_code=issuer_code,
            number=number,
            number_folded=fold(number),
            external=False,
            superior_name=_clean_text(superior_name, "cơ quan cấp trên", limit=200)
            or header["superior_name"],
            issuer_name=_clean_text(issuer_name, "tên cơ quan ban hành", limit=200)
            or header["issuer_name"],
            place_name=_clean_text(place_name, "địa danh", limit=80) or header["place_name"],
        )
        document = Document(**values)
    if upload is not None:
        _attach(document, upload)
    document.save()
    if organization is not None:
        scope.require(acting_user, document, scope.CHANGE, on=issued_on)
    return document


@transaction.atomic
def document_update(
    *,
    acting_user,
    document: Document,
    title: str,
    summary: str = "",
    signer: str = "",
    superior_name: str = "",
    issuer_name: str = "",
    place_name: str = "",
    upload: UploadedFile | None = None,
    based_on: str | int | None = None,
) -> Document:
    """Correct a document's title, summary, signer, header names or file. Its number, type,
    issuer and date are not changed here: a document with another number is another document."""
    _require_document(acting_user, document)
    check_not_stale(document, based_on, what=f"văn bản số {document.number}")
    document.title = _clean_text(title, "trích yếu", required=True)
    document.title_folded = fold(document.title)
    document.summary = _text_block(summary)
    document.signer = _clean_text(signer, "người ký", limit=120)
    document.superior_name = _clean_text(superior_name, "cơ quan cấp trên", limit=200)
    document.issuer_name = _clean_text(issuer_name, "tên cơ quan ban hành", limit=200)
    document.place_name = _clean_text(place_name, "địa danh", limit=80)
    if upload is not None:
        _attach(document, upload)
    document.save()
    _require_document(acting_user, document)
    return document


def _require_document(acting_user, document: Document) -> None:
    """The acting user may change an internal document of their scope; an external document
    (no issuing organisation) by any editor."""
    if acting_user is not None and not acting_user.can_edit:
        raise RuleError("Bạn không có quyền sửa văn bản.", code="permission")
    if document.organization_id is not None:
        scope.require(acting_user, document, scope.CHANGE)


@transaction.atomic
def document_link(*, acting_user, source: Document, target: Document, kind: str) -> DocumentLink:
    """``source`` implements, replaces or guides ``target``."""
    _require_document(acting_user, source)
    if kind not in LinkKind.values:
        raise RuleError(f"Quan hệ “{kind}” không hợp lệ.", code="link_kind")
    if source.pk == target.pk:
        raise RuleError("Văn bản không thể liên kết với chính nó.", code="link_self")
    if DocumentLink.objects.filter(source=source, target=target, kind=kind).exists():
        raise RuleError(
            f"Văn bản {source.number} đã được ghi là {LinkKind(kind).label.lower()} "
            f"{target.number}.",
            code="link_exists",
        )
    return DocumentLink.objects.create(source=source, target=target, kind=kind)


@transaction.atomic
def term_record(
    *, acting_user, organization: Organization, starts_on: date, label: str = ""
) -> Term:
    """Record a term of ``organization`` starting ``starts_on`` (the day after its congress
    closed). Documents issued from that day are numbered in it."""
    if not scope.allowed(acting_user, organization, scope.CHANGE):
        raise RuleError(
            f"Tổ chức đảng {organization.code} ngoài phạm vi dữ liệu của bạn.",
            code="organization_out_of_scope",
        )
    label = _clean_text(label, "nhiệm kỳ", limit=20)
    if Term.objects.filter(organization=organization, starts_on=starts_on).exists():
        raise RuleError(
            f"Nhiệm kỳ bắt đầu ngày {starts_on:%d/%m/%Y} đã được ghi nhận.", code="term_exists"
        )
    later = Document.objects.filter(organization=organization, issued_on__gte=starts_on)
    if later.exists():
        raise RuleError(
            f"Đã có văn bản ban hành từ ngày {starts_on:%d/%m/%Y}: số của chúng đã được cấp "
            "theo nhiệm kỳ trước, không thể thêm nhiệm kỳ bắt đầu sớm hơn chúng.",
            code="term_after_documents",
        )
    return Term.objects.create(organization=organization, starts_on=starts_on, label=label)


# --- Tasks -------------------------------------------------------------------------------------


def cells_below(organization: Organization, day: date) -> list[Organization]:
    """Every cell (chi bộ, chi bộ cơ sở) in Subtree(organization, day), by code."""
    ids = OrganizationVersion.objects.filter(
        valid_on(day),
        organization_id__in=subtree_ids(organization=organization, day=day),
        kind__in=CELL_KINDS,
    )
    return list(Organization.objects.filter(pk__in=ids.values("organization_id")))


@transaction.atomic
def task_assign(
    *,
    acting_user,
    programme: Document,
    title: str,
    deadline: date,
    organizations: list[Organization] | None = None,
    every_cell: bool = False,
    expected_result: str = "",
) -> list[Task]:
    """Assign one task of ``programme`` to each of ``organizations`` (or to every cell below
    the issuer today): each must be in the issuer's subtree today and in the acting user's
    scope."""
    issuer, title = _task_checked(acting_user, programme, title, deadline)
    today = timezone.localdate()
    targets = list(organizations or [])
    if every_cell:
        targets += cells_below(issuer, today)
    unique = {o.pk: o for o in targets}
    if not unique:
        raise RuleError("Cần chọn ít nhất một đơn vị thực hiện.", code="no_assignee")
    inside = set(subtree_ids(organization=issuer, day=today))
    for organization in unique.values():
        if organization.pk not in inside or not scope.allowed(
            acting_user, organization, scope.CHANGE
        ):
            raise RuleError(
                f"Tổ chức đảng {organization.code} không trực thuộc "
                f"{issuer.code} hoặc ngoài phạm vi dữ liệu của bạn.",
                code="assignee_outside",
            )
    tasks = [
        Task.objects.create(
            programme=programme,
            organization=organization,
            title=title,
            expected_result=_text_block(expected_result),
            deadline=deadline,
            recorded_by=acting_user,
        )
        for organization in sorted(unique.values(), key=lambda o: o.code)
    ]
    return tasks


def _task_checked(
    acting_user, programme: Document, title: str, deadline: date
) -> tuple[Organization, str]:
    """What every task of ``programme`` needs (assigned or imported): a programme of an
    organisation of the registry that the acting user may change, a title, a deadline from the
    day of issue. Returns the issuing organisation and the cleaned title."""
    if programme.type not in PROGRAMME_TYPES or programme.organization is None:
        raise RuleError(
            "Chỉ chương trình, kế hoạch hoặc đề án của một tổ chức đảng trong hệ thống mới giao "
            "nhiệm vụ.",
            code="not_a_programme",
        )
    scope.require(acting_user, programme, scope.CHANGE)
    title = _clean_text(title, "nội dung nhiệm vụ", required=True)
    if deadline < programme.issued_on:
        raise RuleError(
            f"Thời hạn phải từ ngày ban hành ({programme.issued_on:%d/%m/%Y}) trở đi.",
            code="deadline",
        )
    return programme.organization, title


@transaction.atomic
def task_import(
    *,
    acting_user,
    programme: Document,
    organization: Organization,
    title: str,
    deadline: date,
    expected_result: str = "",
    status: str = TaskStatus.OPEN,
    percent: int | None = None,
    closed_on: date | None = None,
) -> Task:
    """Record one task of ``programme`` with the state it has reached (the interchange import):
    the rules of :func:`task_assign` — the assignee in the issuer's subtree, on the programme's
    day of issue or today — and of :func:`task_report` for the state: a task done or not done
    has the day it closed (from the day of issue, not after today), an open one has none; a
    task done is 100 %."""
    issuer, title = _task_checked(acting_user, programme, title, deadline)
    today = timezone.localdate()
    inside = set(subtree_ids(organization=issuer, day=programme.issued_on))
    inside |= set(subtree_ids(organization=issuer, day=today))
    if organization.pk not in inside or not scope.allowed(acting_user, organization, scope.CHANGE):
        raise RuleError(
            f"Tổ chức đảng {organization.code} không trực thuộc "
            f"{issuer.code} hoặc ngoài phạm vi dữ liệu của bạn.",
            code="assignee_outside",
        )
    if status not in TaskStatus.values:
        raise RuleError(f"Tình trạng “{status}” không hợp lệ.", code="status")
    if percent is None:
        percent = 100 if status == TaskStatus.DONE else 0
    if not 0 <= percent <= 100:
        raise RuleError("Tiến độ phải từ 0 đến 100%.", code="percent")
    if status == TaskStatus.DONE and percent != 100:
        raise RuleError("Nhiệm vụ đã hoàn thành có tiến độ 100%.", code="percent")
    if status == TaskStatus.OPEN:
        if closed_on is not None:
            raise RuleError(
                "Nhiệm vụ đang thực hiện không có ngày kết thúc.", code="closed_on_open"
            )
    elif closed_on is None:
        raise RuleError("Cần ngày kết thúc của nhiệm vụ đã kết thúc.", code="closed_on")
    elif not programme.issued_on <= closed_on <= today:
        raise RuleError(
            f"Ngày kết thúc phải từ ngày ban hành chương trình "
            f"({programme.issued_on:%d/%m/%Y}) đến hôm nay.",
            code="closed_on",
        )
    return Task.objects.create(
        programme=programme,
        organization=organization,
        title=title,
        expected_result=_text_block(expected_result),
        deadline=deadline,
        status=status,
        percent=percent,
        closed_on=closed_on,
        recorded_by=acting_user,
    )


@transaction.atomic
def task_report_import(
    *, acting_user, task: Task, day: date, percent: int, note: str, status: str = TaskStatus.OPEN
) -> TaskReport:
    """Record one earlier progress report of ``task`` as it was sent (the interchange import,
    after the task with the state it reached): the rules of :func:`task_report` on the day, the
    percent and the note; reports come in date order; a report that closed the task has its
    status and is dated the day it closed, and none comes after it. The task is not changed."""
    scope.require(acting_user, task, scope.CHANGE)
    if status not in TaskStatus.values:
        raise RuleError(f"Tình trạng “{status}” không hợp lệ.", code="status")
    if not 0 <= percent <= 100:
        raise RuleError("Tiến độ phải từ 0 đến 100%.", code="percent")
    if day > timezone.localdate():
        raise RuleError("Ngày báo cáo không thể sau hôm nay.", code="report_in_future")
    if day < task.programme.issued_on:
        raise RuleError(
            f"Ngày báo cáo phải từ ngày ban hành chương trình ({task.programme.issued_on:%d/%m/%Y}).",
            code="report_before_programme",
        )
    last = task.reports.order_by("-date", "-id").first()
    if last is not None and (day < last.date or last.status != TaskStatus.OPEN):
        raise RuleError(
            f"Ngày báo cáo phải từ ngày của báo cáo trước ({last.date:%d/%m/%Y}) trở đi, và "
            "không có báo cáo sau báo cáo kết thúc nhiệm vụ.",
            code="report_order",
        )
    if status != TaskStatus.OPEN and (status != task.status or day != task.closed_on):
        raise RuleError(
            "Báo cáo kết thúc nhiệm vụ phải có tình trạng và ngày kết thúc của nhiệm vụ.",
            code="report_closing",
        )
    if task.closed_on is not None and day > task.closed_on:
        raise RuleError(
            f"Nhiệm vụ đã kết thúc ngày {task.closed_on:%d/%m/%Y}: không có báo cáo sau ngày đó.",
            code="report_closing",
        )
    return TaskReport.objects.create(
        task=task,
        date=day,
        percent=percent,
        note=_clean_text(note, "nội dung báo cáo", required=True, limit=4000),
        status=status,
        recorded_by=acting_user,
    )


@transaction.atomic
def task_report(
    *,
    acting_user,
    task: Task,
    day: date,
    percent: int,
    note: str,
    status: str = TaskStatus.OPEN,
    attachment: UploadedFile | None = None,
    based_on: str | int | None = None,
) -> TaskReport:
    """The assignee reports progress on ``day``: a note, the percent done, an attachment; with
    ``status`` done or not done the task is closed on that day."""
    scope.require(acting_user, task, scope.CHANGE)
    check_not_stale(task, based_on, what="nhiệm vụ")
    if task.status != TaskStatus.OPEN:
        raise RuleError(
            f"Nhiệm vụ đã kết thúc ngày {task.closed_on:%d/%m/%Y}: không báo cáo thêm được.",
            code="task_closed",
        )
    if status not in TaskStatus.values:
        raise RuleError(f"Tình trạng “{status}” không hợp lệ.", code="status")
    if not 0 <= int(percent) <= 100:
        raise RuleError("Tiến độ phải từ 0 đến 100%.", code="percent")
    if day > timezone.localdate():
        raise RuleError("Ngày báo cáo không thể sau hôm nay.", code="report_in_future")
    if day < task.programme.issued_on:
        raise RuleError(
            f"Ngày báo cáo phải từ ngày ban hành chương trình ({task.programme.issued_on:%d/%m/%Y}).",
            code="report_before_programme",
        )
    last = task.reports.order_by("-date", "-id").first()
    if last is not None and day < last.date:
        raise RuleError(
            f"Ngày báo cáo phải từ ngày của báo cáo trước ({last.date:%d/%m/%Y}) trở đi.",
            code="report_order",
        )
    note = _clean_text(note, "nội dung báo cáo", required=True, limit=4000)
    if status == TaskStatus.DONE:
        percent = 100
    report = TaskReport(
        task=task,
        date=day,
        percent=int(percent),
        note=note,
        status=status,
        recorded_by=acting_user,
    )
    if attachment is not None:
        _check_attachment(attachment)
        report.attachment_name = nfc(attachment.name)[:200]
        report.attachment.save(_safe_name(attachment.name or "tep"), attachment, save=False)
    report.save()
    task.percent = int(percent)
    if status != TaskStatus.OPEN:
        task.status = status
        task.closed_on = day
    task.save()
    scope.require(acting_user, task, scope.CHANGE)
    return report


ATTACHMENT_SIGNATURES = (b"%PDF-", b"PK\x03\x04", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def _check_attachment(upload: UploadedFile) -> None:
    limit = policy.get("TASK_ATTACHMENT_MAX_BYTES")
    if (upload.size or 0) > limit:
        raise RuleError(
            f"Tệp “{upload.name}” quá lớn (tối đa {limit // 1048576} MB).", code="file_too_large"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in ATTACHMENT_SIGNATURES):
        raise RuleError(
            f"Tệp “{upload.name}” phải là PDF, Word, Excel, JPEG hoặc PNG.", code="file_type"
        )


def _safe_name(name: str) -> str:
    base = fold(name).replace(" ", "-")
    return re.sub(r"[^a-z0-9._-]", "", base)[-80:] or "tep"
