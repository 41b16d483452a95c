"""Document and task pages: the registry of documents (diacritic-insensitive search), a
document's page with its links and tasks, its file and its Word export; recording and correcting
documents, linking them, terms; assigning a programme's tasks, the task list, a task's page and
its progress reports; the task figures with drill-down.

Every page starts from ``document_visible_to`` / ``task_visible_to`` (outside the scope: 404);
every write goes through ``resolutions.services``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from grassroots.core import scope, word
from grassroots.core.generic import (
    Column,
    DetailPage,
    ListPage,
    ServiceFormPage,
    as_of,
)
from grassroots.core.permissions import visible_or_404
from grassroots.core.registry import Panel
from grassroots.organizations.selectors import organization_visible_to
from grassroots.resolutions import figures, selectors, services
from grassroots.resolutions.forms import (
    STATE_LABELS,
    DocumentEditForm,
    DocumentFilterForm,
    DocumentForm,
    DocumentLinkForm,
    TaskAssignForm,
    TaskFiguresForm,
    TaskFilterForm,
    TaskReportForm,
    TermForm,
)
from grassroots.resolutions.models import Document, TaskReport
from grassroots.resolutions.word import document_docx, docx_name


def _issuer(document: Document) -> str:
    if document.organization is not None:
        return str(document.organization)
    return document.issuer_name or document.issuer_code


class DocumentList(ListPage):
    """The registry of documents the user may read, newest first."""

    visible_to = selectors.document_visible_to
    title = "Văn bản"
    template_name = "resolutions/document_list.html"
    filter_form = DocumentFilterForm
    export_name = "van-ban"
    rows_name = "documents"
    dated = False
    columns = (
        Column("Số, ký hiệu", lambda d: d.number, lambda d: reverse("resolutions:document_detail", args=[d.pk])),
        Column("Loại", lambda d: d.get_type_display()),
        Column("Ngày ban hành", lambda d: d.issued_on),
        Column("Cơ quan ban hành", _issuer),
        Column("Trích yếu", lambda d: d.title),
    )  # fmt: skip

    def get_rows(self, filters):
        return selectors.document_list(user=self.request.user, **filters)


document_list = DocumentList.as_view()


class DocumentDetail(DetailPage):
    """One document: its header, links both ways, its file and, for a programme, its tasks."""

    visible_to = selectors.document_visible_to
    lookup = "pk"
    template_name = "resolutions/document_detail.html"
    context_object_name = "document"

    def get_context_data(self, obj, **context):
        user: Any = self.request.user
        visible = selectors.document_visible_to(user)
        context.update(
            links=obj.links.filter(target__in=visible).select_related("target"),
            linked_from=obj.linked_from.filter(source__in=visible).select_related("source"),
            tasks=selectors.task_visible_to(user)
            .filter(programme=obj)
            .select_related("organization")
            .order_by("title", "organization__code"),
            can_change=user.can_edit and scope.allowed(user, obj),
        )
        return context


document_detail = DocumentDetail.as_view()


@login_required
def document_file(request, pk: int):
    """The document's file, inside the scope."""
    document = visible_or_404(selectors.document_visible_to(request.user), pk=pk)
    if not document.file:
        raise Http404
    name = f"{docx_name(document)[:-5]}.{document.file_type}"
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)


@login_required
def document_word(request, pk: int):
    """The first page in the 36-HD/VPTW layout, as a .docx to finish in Word."""
    document = visible_or_404(selectors.document_visible_to(request.user), pk=pk)
    response = HttpResponse(document_docx(document), content_type=word.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{docx_name(document)}"'
    return response


class DocumentCreate(ServiceFormPage):
    form_class = DocumentForm
    title = "Ghi nhận văn bản"
    submit = "Ghi nhận"
    template_name = "resolutions/document_form.html"

    def initial(self):
        user: Any = self.request.user
        return {"organization": user.scope.code if user.scope_id else None}

    def call(self, data):
        return services.document_create(
            acting_user=self.request.user,
            organization=data["organization"],
            doc_type=data["doc_type"],
            number=data["number"],
            issuer_code=data["issuer_code"],
            issued_on=data["issued_on"],
            title=data["title"],
            summary=data["summary"],
            signer=data["signer"],
            superior_name=data["superior_name"],
            issuer_name=data["issuer_name"],
            place_name=data["place_name"],
            upload=data["file"],
        )

    def success_message(self, result, data):
        return f"Đã ghi nhận {result.get_type_display().lower()} số {result.number}."

    def success_url(self, result, data):
        return reverse("resolutions:document_detail", args=[result.pk])


document_create = DocumentCreate.as_view()


class DocumentEdit(ServiceFormPage):
    visible_to = selectors.document_visible_to
    lookup = "pk"
    form_class = DocumentEditForm
    form_takes_user = False
    template_name = "resolutions/document_form.html"

    def get_title(self):
        return f"Sửa văn bản số {self.object.number}"

    def initial(self):
        fields = ("title", "summary", "signer", "superior_name", "issuer_name", "place_name")
        return {name: getattr(self.object, name) for name in fields}

    def call(self, data):
        return services.document_update(
            acting_user=self.request.user,
            document=self.object,
            title=data["title"],
            summary=data["summary"],
            signer=data["signer"],
            superior_name=data["superior_name"],
            issuer_name=data["issuer_name"],
            place_name=data["place_name"],
            upload=data["file"],
            based_on=data["based_on"],
        )

    def success_message(self, result, data):
        return f"Đã lưu văn bản số {result.number}."

    def success_url(self, result, data):
        return reverse("resolutions:document_detail", args=[result.pk])

    def back_link(self):
        return reverse("resolutions:document_detail", args=[self.object.pk]), str(self.object)


document_edit = DocumentEdit.as_view()


class DocumentLinkCreate(ServiceFormPage):
    visible_to = selectors.document_visible_to
    lookup = "pk"
    form_class = DocumentLinkForm
    title = "Liên kết văn bản"
    template_name = "resolutions/document_form.html"

    def call(self, data):
        return services.document_link(
            acting_user=self.request.user, source=self.object, target=data["target"], kind=data["kind"]
        )  # fmt: skip

    def success_message(self, result, data):
        return f"Đã ghi: {result}."

    def success_url(self, result, data):
        return reverse("resolutions:document_detail", args=[self.object.pk])

    def back_link(self):
        return reverse("resolutions:document_detail", args=[self.object.pk]), str(self.object)


document_link_create = DocumentLinkCreate.as_view()


class TermCreate(ServiceFormPage):
    form_class = TermForm
    title = "Ghi nhận nhiệm kỳ"
    template_name = "resolutions/document_form.html"

    def call(self, data):
        return services.term_record(
            acting_user=self.request.user,
            organization=data["organization"],
            starts_on=data["starts_on"],
            label=data["label"],
        )

    def success_message(self, result, data):
        return f"Đã ghi nhận {result}: văn bản ban hành từ ngày này được đánh số lại từ 01."

    def success_url(self, result, data):
        return reverse("resolutions:documents")


term_create = TermCreate.as_view()


# --- Tasks -------------------------------------------------------------------------------------


class TaskAssign(ServiceFormPage):
    """Assign a task of a programme to organisations, or to every cell below the issuer."""

    visible_to = selectors.document_visible_to
    lookup = "pk"
    form_class = TaskAssignForm
    template_name = "resolutions/task_form.html"

    def get_title(self):
        return f"Giao nhiệm vụ theo {self.object}"

    def call(self, data):
        return services.task_assign(
            acting_user=self.request.user,
            programme=self.object,
            title=data["title"],
            expected_result=data["expected_result"],
            deadline=data["deadline"],
            organizations=list(data["organizations"] or []),
            every_cell=data["every_cell"],
        )

    def success_message(self, result, data):
        return f"Đã giao nhiệm vụ cho {len(result)} đơn vị."

    def success_url(self, result, data):
        return reverse("resolutions:document_detail", args=[self.object.pk])

    def back_link(self):
        return reverse("resolutions:document_detail", args=[self.object.pk]), str(self.object)


task_assign = TaskAssign.as_view()


class TaskList(ListPage):
    """Tasks of the user's scope; by organisation and state on the "as of" date (the figures'
    drill-down)."""

    visible_to = selectors.task_visible_to
    title = "Nhiệm vụ"
    template_name = "resolutions/task_list.html"
    filter_form = TaskFilterForm
    export_name = "nhiem-vu"
    rows_name = "tasks"
    columns = (
        Column("Văn bản", lambda t: t.programme.number),
        Column("Nhiệm vụ", lambda t: t.title, lambda t: reverse("resolutions:task_detail", args=[t.pk])),
        Column("Đơn vị thực hiện", lambda t: str(t.organization)),
        Column("Thời hạn", lambda t: t.deadline),
        Column("Tình trạng", lambda t: t.get_status_display()),
        Column("Tiến độ (%)", lambda t: t.percent, numeric=True),
    )  # fmt: skip

    def get_rows(self, filters):
        return selectors.task_list(
            user=self.request.user,
            organization=filters.get("organization"),
            state=filters.get("state") or "",
            day=as_of(self.request),
        )


task_list = TaskList.as_view()


class TaskDetail(DetailPage):
    visible_to = selectors.task_visible_to
    lookup = "pk"
    template_name = "resolutions/task_detail.html"
    context_object_name = "task"

    def get_context_data(self, obj, **context):
        user: Any = self.request.user
        context.update(
            reports=obj.reports.select_related("recorded_by").order_by("date", "id"),
            # The assignee reads its task's programme here even when the programme's issuer is
            # above its scope (the programme's own page is then not theirs to open).
            programme_visible=selectors.document_visible_to(user)
            .filter(pk=obj.programme_id)
            .exists(),
            overdue=obj.status == "open" and obj.deadline < as_of(self.request),
            can_report=user.can_edit and scope.allowed(user, obj) and obj.status == "open",
        )
        return context


task_detail = TaskDetail.as_view()


class TaskReportCreate(ServiceFormPage):
    visible_to = selectors.task_visible_to
    lookup = "pk"
    form_class = TaskReportForm
    form_takes_user = False
    template_name = "resolutions/task_form.html"
    submit = "Gửi báo cáo"

    def get_title(self):
        return f"Báo cáo tiến độ: {self.object.title}"

    def initial(self):
        return {"percent": self.object.percent}

    def call(self, data):
        return services.task_report(
            acting_user=self.request.user,
            task=self.object,
            day=data["day"],
            percent=data["percent"],
            note=data["note"],
            status=data["status"],
            attachment=data["attachment"],
            based_on=data["based_on"],
        )

    def success_message(self, result, data):
        return f"Đã ghi báo cáo tiến độ ngày {result.date:%d/%m/%Y}."

    def success_url(self, result, data):
        return reverse("resolutions:task_detail", args=[self.object.pk])

    def back_link(self):
        return reverse("resolutions:task_detail", args=[self.object.pk]), self.object.title


task_report_create = TaskReportCreate.as_view()


@login_required
def task_attachment(request, pk: int):
    """A progress report's attachment, inside the scope."""
    report = visible_or_404(TaskReport.objects.visible_to(request.user), pk=pk)
    if not report.attachment:
        raise Http404
    return FileResponse(
        report.attachment.open("rb"), as_attachment=True, filename=report.attachment_name or "tep"
    )


def _drill(organization_code: str, state: str, day) -> str:
    query = {"organization": organization_code, "state": state, "as_of": day.isoformat()}
    return f"{reverse('resolutions:tasks')}?{urlencode(query)}"


@login_required
def task_figures(request):
    """Tasks due, overdue and done across the organisation's subtree on the "as of" date, and
    per organisation directly under it; every number links to the tasks it counts."""
    form = TaskFiguresForm(request.GET, user=request.user)
    context: dict[str, Any] = {"form": form, "labels": STATE_LABELS}
    day = as_of(request)
    if form.is_valid():
        organization = form.cleaned_data["organization"] or request.user.scope
        if organization is None:
            organization = (
                organization_visible_to(request.user).filter(versions__parent__isnull=True).first()
            )
        if organization is not None:
            visible_or_404(organization_visible_to(request.user), pk=organization.pk)
            total = figures.task_figures(organization=organization, day=day)
            rows = figures.task_figures_by_child(organization=organization, day=day)
            states = list(STATE_LABELS)
            for row in [total, *rows]:
                row["cells"] = [
                    (row[state], _drill(row["organization"], state, day)) for state in states
                ]
            context.update(organization=organization, total=total, rows=rows, day=day)
    return render(request, "resolutions/task_figures.html", context)


def overdue_for(request) -> dict[str, Any] | None:
    """The home page's section: the overdue and soon-due tasks of the user's own organisation,
    and the count of overdue tasks across its subtree (with its list)."""
    from datetime import timedelta

    from grassroots import policy

    user = request.user
    if not user.is_authenticated or user.scope_id is None:
        return None
    day = as_of(request)
    own = selectors.task_visible_to(user).filter(organization_id=user.scope_id)
    soon = day + timedelta(days=policy.get("TASK_DUE_SOON_DAYS"))
    mine = list(
        own.filter(selectors.state_q("overdue", day) | (selectors.state_q("due", day) & _before(soon)))
        .select_related("programme")
        .order_by("deadline")[:20]
    )  # fmt: skip
    subtree = figures.task_figures(organization=user.scope, day=day)["overdue"]
    if not mine and not subtree:
        return None
    return {
        "tasks": mine,
        "day": day,
        "subtree_overdue": subtree,
        "subtree_link": _drill(user.scope.code, "overdue", day),
    }


def _before(day) -> Q:
    return Q(deadline__lte=day)


class OverdueTasksPanel(Panel):
    """On the home page: the overdue and soon-due tasks of the user's organisation and the
    overdue count across its subtree (:func:`overdue_for`)."""

    order = 20

    def render(self, request, obj):
        context = overdue_for(request)
        if context is None:
            return SafeString("")
        return render_to_string("resolutions/task_home.html", context, request)
