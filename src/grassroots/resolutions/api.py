"""Documents and tasks API: the registry of documents (search without diacritics), recording a
document (numbered automatically), linking documents, assigning a programme's tasks, the task
list by state and reporting progress — through ``resolutions.services`` exactly as the pages.
The task figures are the registry's ``GET /api/v1/reports/tasks``."""

import datetime as dt

from ninja import Field, Query, Schema

from grassroots.core.api import AsOfParams, RowId, ScopedRouter, resolve_code, version_field
from grassroots.organizations.selectors import organization_visible_to
from grassroots.resolutions import selectors, services
from grassroots.resolutions.models import Document, DocumentType, LinkKind, Task, TaskStatus

router = ScopedRouter(
    tags=["resolutions"], visible_to=selectors.document_visible_to, what="văn bản"
)


class LinkOut(Schema):
    kind: LinkKind
    number: str = Field(description="số, ký hiệu của văn bản được liên kết")
    id: int

    @staticmethod
    def resolve_number(link) -> str:
        return link.target.number

    @staticmethod
    def resolve_id(link) -> int:
        return link.target_id


class DocumentOut(Schema):
    id: int
    number: str = Field(description="07-NQ/TU")
    type: DocumentType
    organization: str | None = Field(description="mã tổ chức ban hành; null: ngoài hệ thống")
    issuer_code: str
    issued_on: dt.date
    term_start: dt.date | None = Field(description="nhiệm kỳ (đánh số) bắt đầu từ ngày")
    title: str
    summary: str
    signer: str
    external: bool
    file_type: str
    links: list[LinkOut]
    version: int

    @staticmethod
    def resolve_organization(document: Document) -> str | None:
        return document.organization.code if document.organization else None

    @staticmethod
    def resolve_links(document: Document) -> list:
        return list(document.links.select_related("target"))


class DocumentFilters(Schema):
    search: str = Field("", description="số hoặc trích yếu, không cần dấu")
    type: DocumentType | None = None
    organization: str | None = Field(None, description="mã tổ chức ban hành")
    year: int | None = Field(None, ge=1930, le=2200)


class DocumentIn(Schema):
    type: DocumentType
    issued_on: dt.date
    title: str = Field(max_length=500)
    organization_code: str | None = Field(
        None, description="tổ chức ban hành; để trống với văn bản ngoài hệ thống"
    )
    number: str = Field("", max_length=40, description="chỉ với văn bản ngoài hệ thống")
    issuer_code: str = Field("", max_length=16)
    summary: str = ""
    signer: str = Field("", max_length=120)


class LinkIn(Schema):
    kind: LinkKind
    target_id: int = Field(ge=1, description="văn bản được liên kết")


class TaskOut(Schema):
    id: int
    programme: str = Field(description="số, ký hiệu của chương trình, kế hoạch")
    organization: str = Field(description="mã đơn vị thực hiện")
    title: str
    expected_result: str
    deadline: dt.date
    status: TaskStatus
    percent: int
    closed_on: dt.date | None
    version: int

    @staticmethod
    def resolve_programme(task: Task) -> str:
        return task.programme.number

    @staticmethod
    def resolve_organization(task: Task) -> str:
        return task.organization.code


class TaskFilters(AsOfParams):
    organization: str | None = Field(None, description="mã tổ chức: nhiệm vụ thuộc nó")
    state: str = Field("", description="assigned, done, not_done, overdue hoặc due")


class TaskIn(Schema):
    title: str = Field(max_length=500)
    deadline: dt.date
    expected_result: str = ""
    organizations: list[str] = Field(default_factory=list, description="mã đơn vị thực hiện")
    every_cell: bool = Field(False, description="giao cho mọi chi bộ trực thuộc")


class ReportIn(Schema):
    date: dt.date
    percent: int = Field(ge=0, le=100)
    note: str = Field(max_length=4000)
    status: TaskStatus = TaskStatus.OPEN
    version: int | None = version_field()


class ReportOut(Schema):
    id: int
    date: dt.date
    percent: int
    note: str
    status: TaskStatus
    task: TaskOut


@router.list("/documents", response=DocumentOut)
def list_documents(request, filters: Query[DocumentFilters]):
    """Documents the user may read, newest first."""
    return selectors.document_list(
        user=request.auth,
        search=filters.search,
        doc_type=filters.type or "",
        organization=resolve_code(
            organization_visible_to(request.auth), filters.organization, "tổ chức đảng"
        ),
        year=filters.year,
    )


@router.read("/documents/{document_id}", response=DocumentOut)
def get_document(request, document_id: RowId):
    return router.get_object(request, document_id, field="pk")


@router.write("/documents", response=DocumentOut, status=201)
def create_document(request, body: DocumentIn):
    """Record a document: numbered automatically for an organisation of the registry."""
    organization = resolve_code(
        organization_visible_to(request.auth), body.organization_code, "tổ chức đảng"
    )
    return services.document_create(
        acting_user=request.auth,
        organization=organization,
        doc_type=body.type,
        issued_on=body.issued_on,
        title=body.title,
        number=body.number,
        issuer_code=body.issuer_code,
        summary=body.summary,
        signer=body.signer,
    )


@router.write("/documents/{document_id}/links", response=DocumentOut, status=201)
def link_document(request, document_id: RowId, body: LinkIn):
    """The document implements, replaces or guides another."""
    source = router.get_object(request, document_id, field="pk")
    target = router.get_object(request, body.target_id, field="pk")
    services.document_link(acting_user=request.auth, source=source, target=target, kind=body.kind)
    return source


@router.write("/documents/{document_id}/tasks", response=list[TaskOut], status=201)
def assign_tasks(request, document_id: RowId, body: TaskIn):
    """Assign a task of the programme to organisations, or to every cell below its issuer."""
    programme = router.get_object(request, document_id, field="pk")
    visible = organization_visible_to(request.auth)
    organizations = [resolve_code(visible, code, "tổ chức đảng") for code in body.organizations]
    return services.task_assign(
        acting_user=request.auth,
        programme=programme,
        title=body.title,
        deadline=body.deadline,
        expected_result=body.expected_result,
        organizations=[o for o in organizations if o is not None],
        every_cell=body.every_cell,
    )


@router.list("/tasks", response=TaskOut)
def list_tasks(request, filters: Query[TaskFilters]):
    """Tasks of the user's scope; by organisation and state on ``as_of``."""
    if filters.state and filters.state not in selectors.STATES:
        from grassroots.core.errors import RuleError

        raise RuleError(f"Tình trạng “{filters.state}” không hợp lệ.", code="state")
    return selectors.task_list(
        user=request.auth,
        organization=resolve_code(
            organization_visible_to(request.auth), filters.organization, "tổ chức đảng"
        ),
        state=filters.state,
        day=filters.day,
    )


@router.read("/tasks/{task_id}", response=TaskOut)
def get_task(request, task_id: RowId):
    return router.get_object(
        request, task_id, field="pk", queryset=selectors.task_visible_to(request.auth)
    )


@router.write("/tasks/{task_id}/reports", response=ReportOut, status=201)
def report_task(request, task_id: RowId, body: ReportIn):
    """Report progress on a task (``status`` done or not_done closes it)."""
    task = router.get_object(
        request, task_id, field="pk", queryset=selectors.task_visible_to(request.auth)
    )
    return services.task_report(
        acting_user=request.auth,
        task=task,
        day=body.date,
        percent=body.percent,
        note=body.note,
        status=body.status,
        based_on=body.version,
    )
