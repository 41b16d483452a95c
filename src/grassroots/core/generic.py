"""Generic scoped pages: a list (filters, Vietnamese order, pagination, .xlsx export, print),
a detail, and "form → service → message → redirect". An app declares what differs — its scope
function, its selector, its columns, its form and its service — and the base does the rest.

Every page starts from the app's scope function (``place_visible_to(user)``,
``organization_visible_to(user)``, ``member_visible_to(user)``…), named on the page as
``visible_to``: an object outside it answers 404, never 403, so nothing leaks about it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views import View

from grassroots.core import dataversion, locking, replica, scope
from grassroots.core.access import Action, record_access
from grassroots.core.forms import report_change
from grassroots.core.iterables import chunks
from grassroots.core.pagination import PER_PAGE, paginate
from grassroots.core.permissions import editor_required, visible_or_404
from grassroots.core.text import format_date, format_number, format_weekday_datetime
from grassroots.core.xlsx import xlsx_response

#: At most this many rows go into one export or one printed list.
EXPORT_LIMIT = 100_000
PRINT_LIMIT = 5_000


@dataclass(frozen=True)
class Column:
    """One column of a list: its Vietnamese header, the value of a row (written as is into the
    .xlsx: text as text, dates as dates) and, on the page, an optional link."""

    header: str
    value: Callable[[Any], Any]
    link: Callable[[Any], str | None] | None = None
    numeric: bool = False
    #: On the page only: the cell's markup (built with ``format_html``) instead of its text,
    #: e.g. a status badge; the export keeps ``value``.
    html: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Cell:
    text: str
    url: str | None = None
    numeric: bool = False
    header: str = ""  # the column's, to label the cell when a phone shows the row as a card
    html: str | None = None  # safe markup, instead of ``text``


def table_body(table: list[list[Cell]]) -> SafeString:
    """The rows of a list's table as HTML, escaped here: the same markup as a template loop,
    at a fraction of the cost (the template engine evaluates several tags per cell, and a page
    has hundreds of cells)."""
    parts = []
    for cells in table:
        parts.append("<tr>")
        for cell in cells:
            inner = cell.html if cell.html is not None else escape(cell.text)
            if cell.url:
                inner = f'<a href="{escape(cell.url)}">{inner}</a>'
            numeric = ' class="num"' if cell.numeric else ""
            parts.append(f'<td data-label="{escape(cell.header)}"{numeric}>{inner}</td>')
        parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every text and attribute escaped above


#: The rows of a list: an ordered queryset, or a list when they are computed.
Rows = QuerySet[Any] | Sequence[Any]


def as_of(request: HttpRequest) -> date:
    """The "as of" date ``core.middleware.AsOfMiddleware`` set on the request."""
    day: date = request.as_of  # type: ignore[attr-defined]
    return day


def display(value: object) -> str:
    """A cell's value as the page shows it (dd/mm/yyyy dates, Vietnamese numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime):
        return format_weekday_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    return str(value)


def prepared_rows(
    rows: Rows, limit: int, prepare: Callable[[list[Any]], list[Any]] | None = None
) -> Iterator[Any]:
    """Every row (up to ``limit``), read and prepared in chunks so a large list stays cheap."""
    read: Iterable[Any]
    if isinstance(rows, QuerySet):
        read = rows[:limit].iterator(chunk_size=2000)
    else:
        read = islice(rows, limit)
    for chunk in chunks(read, 2000):
        yield from prepare(chunk) if prepare else chunk


def export_list(
    request: HttpRequest,
    rows: Rows,
    columns: Sequence[Column],
    *,
    title: str,
    name: str,
    prepare: Callable[[list[Any]], list[Any]] | None = None,
    personal_data: str | None = None,
) -> HttpResponse:
    """The .xlsx download of a list (every row, not a page): what :class:`ListPage` answers to
    ``?format=xlsx``, for a page that is not a ``ListPage`` (e.g. a figure's drill-down).
    ``personal_data`` names what the rows are (``"Đảng viên"``): the download is then recorded
    in the access log (:mod:`grassroots.core.access`) with its count and filter."""
    exported = 0

    def values() -> Iterator[list[Any]]:
        nonlocal exported
        for row in prepared_rows(rows, EXPORT_LIMIT, prepare):
            exported += 1
            yield [c.value(row) for c in columns]

    filename = f"{name}-{as_of(request):%Y-%m-%d}.xlsx"
    response = xlsx_response(filename, title, [c.header for c in columns], values())
    if personal_data:
        record_access(request, what=f"{personal_data}: {title}", count=exported, action=Action.XLSX)
    return response


class ScopedPage(View):
    """Login for reading; the ``editor`` role when ``write``. ``visible_to(user)`` is the app's
    scope function; :meth:`get_object` looks the URL's object up inside it (else 404)."""

    visible_to: ClassVar[Callable[[Any, str], QuerySet[Any]] | None] = None
    lookup: ClassVar[str] = "code"
    write: ClassVar[bool] = False
    template_name: ClassVar[str] = ""
    #: What the page shows of people (``"Đảng viên"``), when it does: each view, print and
    #: download is recorded in the access log (:func:`grassroots.core.access.record_access`)
    #: and answered ``Cache-Control: no-store``.
    personal_data: ClassVar[str | None] = None

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponseBase]:
        view = super().as_view(**initkwargs)
        wrapped: Callable[..., HttpResponseBase] = (
            editor_required(view) if cls.write else login_required(view)
        )
        return wrapped

    def visible(self) -> QuerySet[Any]:
        visible_to = type(self).visible_to
        assert visible_to is not None, f"{type(self).__name__} declares no visible_to"
        return visible_to(self.request.user, self.action)

    @property
    def action(self) -> str:
        """What the page does to its object (``core.scope``): a write page finds only what the
        user may change today — what left their subtree is history they may read, not edit."""
        return scope.CHANGE if self.write else scope.VIEW

    def get_object(self) -> Any:
        if self.lookup not in self.kwargs:
            return None
        return visible_or_404(self.visible(), **{self.lookup: self.kwargs[self.lookup]})

    def http_method_not_allowed(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        # An object outside the scope answers 404 whatever the method: nothing leaks about it.
        self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)


class ListPage(ScopedPage):
    """A list: ``?format=xlsx`` downloads every row (not only the page) with the columns the
    user sees; ``?format=print`` renders every row for the printer.

    Subclasses set ``title``, ``columns``, ``export_name`` and implement :meth:`get_rows`
    (starting from ``self.visible()`` or a selector that does); optionally ``filter_form``
    (a GET form taking ``user``), :meth:`cache_key` (see ``core.pagination.paginate``) and
    :meth:`prepare` (attach what a page of rows needs, e.g. members' spans)."""

    template_name = "core/generic/list.html"
    print_template_name: ClassVar[str] = "core/generic/print.html"
    title: ClassVar[str] = ""
    columns: ClassVar[Sequence[Column]] = ()
    export_name: ClassVar[str] = "danh-sach"
    filter_form: ClassVar[type[forms.Form] | None] = None
    per_page: ClassVar[int] = PER_PAGE
    paginated: ClassVar[bool] = True
    #: Whether the list shows the registry on the "as of" date (said in the heading).
    dated: ClassVar[bool] = True
    #: The rows are also in the context under this name (``members``), for the app's template.
    rows_name: ClassVar[str] = "rows"

    def get_form(self) -> forms.Form | None:
        if self.filter_form is None:
            return None
        return self.filter_form(self.request.GET, **self.form_kwargs())

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def get_rows(self, filters: dict[str, Any]) -> Rows:
        raise NotImplementedError

    def cache_key(self, filters: dict[str, Any]) -> tuple[Any, ...] | None:
        return None

    def prepare(self, rows: list[Any]) -> list[Any]:
        return rows

    def get_columns(self) -> Sequence[Column]:
        return self.columns

    def get_title(self) -> str:
        return self.title

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return context

    def table(self, rows: list[Any]) -> list[list[Cell]]:
        columns = self.get_columns()
        return [
            [
                Cell(
                    display(c.value(row)),
                    c.link(row) if c.link else None,
                    c.numeric,
                    c.header,
                    c.html(row) if c.html else None,
                )
                for c in columns
            ]
            for row in rows
        ]

    def export(self, rows: Rows) -> HttpResponse:
        return export_list(
            self.request,
            rows,
            self.get_columns(),
            title=self.get_title(),
            name=self.export_name,
            prepare=self.prepare,
            personal_data=self.personal_data,
        )

    def record(self, count: int, action: str = Action.VIEW) -> None:
        """The access log entry of a list of people (nothing for another list)."""
        if self.personal_data:
            record_access(
                self.request,
                what=f"{self.personal_data}: {self.get_title()}",
                count=count,
                action=action,
            )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with replica.reads():  # the list, its counts and its downloads
            return self.list_response(request)

    def list_response(self, request: HttpRequest) -> HttpResponse:
        form = self.get_form()
        valid = form is None or form.is_valid()
        filters = form.cleaned_data if form is not None and valid else {}
        rows: Rows = self.get_rows(filters) if valid else []
        output = request.GET.get("format")
        if output == "xlsx":
            return self.export(rows)
        context: dict[str, Any] = {
            "title": self.get_title(),
            "form": form,
            "columns": self.get_columns(),
            "dated": self.dated,
        }
        if output == "print":
            printed = list(prepared_rows(rows, PRINT_LIMIT + 1, self.prepare))
            context.update(
                rows=printed[:PRINT_LIMIT],
                table=self.table(printed[:PRINT_LIMIT]),
                truncated=len(printed) > PRINT_LIMIT,
                print_limit=PRINT_LIMIT,
            )
            self.record(len(context["rows"]), Action.PRINT)
            return render(request, self.print_template_name, self.get_context_data(**context))
        page_obj: Any = None
        if self.paginated:
            key = self.cache_key(filters) if valid else None
            if key is not None:
                return self.cached_response(request, rows, key, context)
            page_obj = paginate(request, rows, self.per_page, cache_key=key)
            page_rows = self.prepare(list(page_obj.object_list))
            page_obj.object_list = page_rows
        else:
            page_rows = self.prepare(list(rows))
        table = self.table(page_rows)
        context.update(page_obj=page_obj, rows=page_rows, table=table, body=table_body(table))
        context[self.rows_name] = page_rows
        self.record(len(page_rows))
        return render(request, self.template_name, self.get_context_data(**context))

    def cached_response(
        self, request: HttpRequest, rows: Rows, key: tuple[Any, ...], context: dict[str, Any]
    ) -> HttpResponse:
        """A list with a cache key (``cache_key``): its count, its page's keys, the page's
        rows as markup and its filters' markup are cached under the data version
        (``core.dataversion``: the first request after a change computes them), so a request
        costs the layout and the access log entry. Its template shows ``body``; ``rows`` are
        read from the database only when something uses them."""
        page_obj = paginate(request, rows, self.per_page, cache_key=key, objects=False)
        ids = list(page_obj.object_list)

        def page_rows() -> list[Any]:
            assert isinstance(rows, QuerySet)  # ``paginate`` read its keys
            by_id = rows.model._default_manager.in_bulk(ids)
            return self.prepare([by_id[pk] for pk in ids if pk in by_id])

        def body() -> tuple[str, int]:
            read = page_rows()
            return str(table_body(self.table(read))), len(read)

        html, count = dataversion.cached(
            "list-body", *key, page_obj.number, self.per_page, compute=body
        )
        form = context["form"]
        if form is not None:
            query = request.GET.copy()
            query.pop("page", None)
            context["filters"] = mark_safe(  # noqa: S308 - a rendered template
                dataversion.cached(
                    "list-filters",
                    *key,
                    query.urlencode(),
                    compute=lambda: render_to_string(
                        "core/generic/_filters.html",
                        {"form": form, "autosubmit": True},
                        request=request,
                    ),
                )
            )
        context.update(page_obj=page_obj, table=count > 0, body=mark_safe(html))  # noqa: S308
        # The page's objects, read only if something asks (an app's context, a test).
        context["rows"] = context[self.rows_name] = SimpleLazyObject(page_rows)
        self.record(count)
        return render(request, self.template_name, self.get_context_data(**context))


class DetailPage(ScopedPage):
    """One object found by ``lookup`` inside ``visible_to(user)`` (else 404)."""

    context_object_name: ClassVar[str] = "object"

    def get_context_data(self, obj: Any, **context: Any) -> dict[str, Any]:
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        if self.personal_data:
            record_access(
                request, what=self.personal_data, count=1, subject=self.kwargs.get(self.lookup, "")
            )
        context = {self.context_object_name: obj, "object": obj}
        return render(request, self.template_name, self.get_context_data(obj, **context))


class ServiceFormPage(ScopedPage):
    """Form → service → message → redirect. GET shows the form; a valid POST calls
    :meth:`call` through ``core.forms.run_service`` (a refused rule re-renders the form with
    its Vietnamese message and changes nothing), flashes :meth:`success_message` and redirects
    to :meth:`success_url`. With ``lookup`` in the URL, the object comes from ``visible_to``."""

    write = True
    template_name = "core/generic/form.html"
    form_class: ClassVar[type[forms.Form] | None] = None
    title: ClassVar[str] = ""
    submit: ClassVar[str] = "Lưu"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.object: Any = None

    #: Whether ``form_class`` takes the user (to restrict its code fields to the scope).
    form_takes_user: ClassVar[bool] = True

    def form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user} if self.form_takes_user else {}

    def initial(self) -> dict[str, Any]:
        return {}

    def get_form(self) -> forms.Form:
        assert self.form_class is not None, f"{type(self).__name__} declares no form_class"
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        initial = self.initial()
        if issubclass(self.form_class, locking.VersionedFormMixin):
            initial["based_on"] = locking.token(self.locked())
        return self.form_class(data, files, initial=initial, **self.form_kwargs())

    def locked(self) -> Any:
        """The object whose version a :class:`core.locking.VersionedFormMixin` form carries
        (``based_on``, passed by :meth:`call` to the service, which refuses a stale one)."""
        return self.object

    def stale_values(self, data: dict[str, Any]) -> dict[str, Any]:
        """The form's values as they are now, shown beside the user's (``data``) after a stale
        write."""
        self.object = self.get_object()
        return self.initial()

    def call(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def success_message(self, result: Any, data: dict[str, Any]) -> str | None:
        return None

    def notify(self, result: Any, data: dict[str, Any]) -> None:
        message = self.success_message(result, data)
        if message:
            messages.success(self.request, message)

    def success_url(self, result: Any, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def get_title(self) -> str:
        return self.title

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return context

    def back_link(self) -> tuple[str, str] | None:
        """(url, label) of the page the form belongs to, shown above it."""
        return None

    def render_form(self, form: forms.Form) -> HttpResponse:
        context: dict[str, Any] = {
            "form": form,
            "title": self.get_title(),
            "submit": self.submit,
            "object": self.object,
        }
        back = self.back_link()
        if back:
            context["back_url"], context["back_label"] = back
        return render(self.request, self.template_name, self.get_context_data(**context))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.object = self.get_object()
        form = self.get_form()
        if form.is_valid():
            data = form.cleaned_data
            result = locking.run_checked(
                request, form, lambda: self.call(data), lambda _: self.stale_values(data), display
            )
            if result:
                self.notify(result, data)
                return redirect(self.success_url(result, data))
        return self.render_form(form)


# --- Versioned hierarchies (places, organisations): one tree, one detail, one set of forms ---


@dataclass(frozen=True)
class Hierarchy:
    """What a versioned hierarchy's pages need to know: its URL namespace (with ``detail``,
    ``children`` URLs taking a code), its Vietnamese names, its scope function and tree
    selectors, and the editor's actions offered above the tree ``(label, URL name)``."""

    namespace: str
    title: str  # "Địa bàn"
    noun: str  # "địa bàn": "các địa bàn trực thuộc"
    visible_to: Callable[[Any, str], QuerySet[Any]]
    tree: Callable[[Any, date], list[Any]]  # (user, day) → root versions with ``children``
    children: Callable[[Any, list[int], date], QuerySet[Any]]  # (user, parent ids, day)
    actions: tuple[tuple[str, str], ...] = ()

    @property
    def detail_url(self) -> str:
        return f"{self.namespace}:detail"

    @property
    def children_url(self) -> str:
        return f"{self.namespace}:children"


class HierarchyPage(ScopedPage):
    """A page of one hierarchy: its scope function is the hierarchy's."""

    hierarchy: ClassVar[Hierarchy | None] = None

    @property
    def nodes(self) -> Hierarchy:
        assert self.hierarchy is not None, f"{type(self).__name__} declares no hierarchy"
        return self.hierarchy

    def visible(self) -> QuerySet[Any]:
        return self.nodes.visible_to(self.request.user, self.action)


class TreePage(HierarchyPage):
    """The hierarchy's tree on the "as of" date, rooted at the user's scope."""

    template_name = "core/generic/tree.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        nodes = self.nodes.tree(request.user, as_of(request))
        return render(request, self.template_name, {"nodes": nodes, "hierarchy": self.nodes})


class TreeChildrenPage(HierarchyPage):
    """htmx fragment: the nodes directly under one visible node of the tree."""

    template_name = "core/generic/_tree_nodes.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        node = self.get_object()
        nodes = self.nodes.children(request.user, [node.pk], as_of(request))
        return render(request, self.template_name, {"nodes": nodes, "hierarchy": self.nodes})


class HierarchyDetailPage(HierarchyPage, DetailPage):
    """A node's page: ``current`` is its version on the "as of" date (None when it did not
    exist then), ``children`` the visible nodes directly under it on that date."""

    current_related: ClassVar[tuple[str, ...]] = ("parent",)

    def get_context_data(self, obj: Any, **context: Any) -> dict[str, Any]:
        day = as_of(self.request)
        context.update(
            hierarchy=self.nodes,
            current=obj.versions.valid_on(day).select_related(*self.current_related).first(),
            children=self.nodes.children(self.request.user, [obj.pk], day),
        )
        return context


class HierarchyFormPage(HierarchyPage, ServiceFormPage):
    """A form about one node (or none: creating, merging); it links back to the node's page
    and, after the change, goes to the node the service returns (or the form's node). A form
    with a ``day`` starts from the "as of" date."""

    def initial(self) -> dict[str, Any]:
        return {"day": as_of(self.request)}

    def back_link(self) -> tuple[str, str] | None:
        if self.object is None:
            return None
        url = reverse(self.nodes.detail_url, args=[self.object.code])
        return url, f"{self.object} ({self.object.code})"

    def success_url(self, result: Any, data: dict[str, Any]) -> str:
        target = result if hasattr(result, "code") else self.object
        return reverse(self.nodes.detail_url, args=[target.code])


class HierarchyEndPage(HierarchyFormPage):
    """End a node from a day (the app's :meth:`call` is its end service). Ended from the very day
    it began, the node never existed and the service deletes it as created by mistake
    (``core.versioning.end_on``): the page then says so and goes back to the tree."""

    ended = "không còn từ ngày"

    def deleted(self) -> bool:
        return self.object is not None and self.object.pk is None

    def success_message(self, result: Any, data: dict[str, Any]) -> str:
        if self.deleted():
            return (
                f"Đã xoá {self.nodes.noun} {self.object.code}: kết thúc từ chính ngày bắt đầu "
                "nghĩa là chưa từng tồn tại."
            )
        return f"{self.object} {self.ended} {format_date(data['day'])}."

    def success_url(self, result: Any, data: dict[str, Any]) -> str:
        if self.deleted():
            return reverse(f"{self.nodes.namespace}:tree")
        return super().success_url(result, data)


class HierarchyDeleteForm(forms.Form):
    """Confirm deleting a node created by mistake (worded with the hierarchy's noun)."""

    confirm = forms.BooleanField(
        help_text="Chỉ xoá được khi chưa có gì trỏ tới (cấp dưới, đảng viên, sự kiện…) và mới "
        "có một phiên bản; thao tác được ghi nhật ký.",
    )

    def __init__(self, *args: Any, noun: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = f"Tôi xác nhận {noun} này được tạo nhầm và xoá hẳn"


class HierarchyDeletePage(HierarchyFormPage):
    """ "Xoá phiên bản tạo nhầm": the node goes with its only version; the app's :meth:`call`
    is its delete service, which refuses while anything refers to it. Then back to the tree."""

    form_class = HierarchyDeleteForm
    form_takes_user = False
    submit = "Xoá"

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "noun": self.nodes.noun}

    def get_title(self) -> str:
        return f"Xoá phiên bản tạo nhầm: {self.object} ({self.object.code})"

    def success_message(self, result: Any, data: dict[str, Any]) -> str:
        return f"Đã xoá {self.nodes.noun} {self.object.code} (tạo nhầm)."

    def success_url(self, result: Any, data: dict[str, Any]) -> str:
        return reverse(f"{self.nodes.namespace}:tree")


class HierarchyCreatePage(HierarchyFormPage):
    """Add a node from the "as of" date, under ``?parent=`` when given, with the kind the
    policy expects there (``child_kind(parent code, day)``, the app's ``natural_child_kind``)."""

    child_kind: ClassVar[Callable[[str | None, date], str] | None] = None

    def initial(self) -> dict[str, Any]:
        day, parent = as_of(self.request), self.request.GET.get("parent")
        child_kind = type(self).child_kind
        kind = child_kind(parent, day) if parent and child_kind is not None else None
        return {"valid_from": day, "parent": parent, "kind": kind}


class HierarchyChangePage(HierarchyFormPage):
    """Rename, change kind, move (and the app's other properties) from a date: the form starts
    from the version on the "as of" date (or the latest), and says whether anything changed."""

    submit = "Lưu"
    #: The version's properties the form edits besides ``day`` (``name``, ``kind``, ``parent``).
    properties: ClassVar[tuple[str, ...]] = ("name", "kind", "parent")

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.current: Any = None

    def get_object(self) -> Any:
        obj = super().get_object()
        self.current = obj.version_on(as_of(self.request)) or obj.latest_version
        return obj

    def form_kwargs(self) -> dict[str, Any]:
        return {**super().form_kwargs(), "current": self.current}

    def initial(self) -> dict[str, Any]:
        values = {name: getattr(self.current, name) for name in self.properties}
        return {"day": as_of(self.request), **values}

    def get_title(self) -> str:
        return f"Thay đổi {self.current.name}"

    def stale_values(self, data: dict[str, Any]) -> dict[str, Any]:
        # The version the user's change would have replaced, as another editor left it.
        self.object = self.get_object()
        now = self.object.version_on(data["day"]) or self.object.latest_version
        return {name: getattr(now, name) for name in self.properties}

    def notify(self, result: Any, data: dict[str, Any]) -> None:
        report_change(self.request, result, data)
