"""The news module in Wagtail's admin: the queue of readers' comments (approve, reject, spam),
its menu entry with the number waiting, and the counts on the editor's home page."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from grassroots.core.errors import NotFound, RuleError
from grassroots.news import selectors, services
from grassroots.news.models import CategoryPage, CommentStatus, QuotedFigure

ACTIONS = {
    "duyet": CommentStatus.APPROVED,
    "tu-choi": CommentStatus.REJECTED,
    "thu-rac": CommentStatus.SPAM,
}


def comment_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("trang-thai", CommentStatus.PENDING)
    if status not in CommentStatus.values:
        status = CommentStatus.PENDING
    counts = selectors.moderation_counts(request.user)
    return render(
        request,
        "news/admin/comments.html",
        {
            "comments": selectors.moderation_queue(request.user, status)[:200],
            "tabs": [(value, label, counts[value]) for value, label in CommentStatus.choices],
            "status": status,
            "actions": ACTIONS,
            "header_title": "Duyệt bình luận",
        },
    )


@require_POST
def comment_moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    try:
        services.comment_moderate(acting_user=request.user, comment_id=pk, status=ACTIONS[action])
    except NotFound:
        raise Http404 from None
    except RuleError:
        raise Http404 from None
    return redirect(reverse("news_comments") + "?" + request.GET.urlencode())


def writable_sections(user: Any) -> list[CategoryPage]:
    return [
        section
        for section in CategoryPage.objects.order_by("path")
        if section.permissions_for_user(user).can_add_subpage()
    ]


def draft_from_report(request: HttpRequest) -> HttpResponse:
    """The sent reports the user may read, each with a button that starts a draft article in
    one of the sections they write in."""
    from grassroots.reports.models import Submission

    sections = writable_sections(request.user)
    error = ""
    if request.method == "POST":
        section = next((s for s in sections if str(s.pk) == request.POST.get("section", "")), None)
        try:
            if section is None:
                raise RuleError("Xin chọn chuyên mục.", code="section")
            article = services.article_draft_from_submission(
                acting_user=request.user,
                submission_id=int(request.POST.get("submission") or 0),
                section=section,
            )
        except (RuleError, NotFound, ValueError) as exc:
            error = getattr(exc, "message", None) or "Không tạo được bản nháp."
        else:
            return redirect("wagtailadmin_pages:edit", article.pk)
    submissions = (
        Submission.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("-submitted_at")[:100]
    )
    return render(
        request,
        "news/admin/from_report.html",
        {
            "submissions": submissions,
            "sections": sections,
            "error": error,
            "header_title": "Viết bài từ báo cáo đã gửi",
        },
        status=400 if error else 200,
    )


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [
        path("tu-bao-cao/", draft_from_report, name="news_from_report"),
        path("binh-luan/", comment_queue, name="news_comments"),
        path("binh-luan/<int:pk>/<slug:action>/", comment_moderate, name="news_comment_moderate"),
    ]


class CommentsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return selectors.moderated_articles(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_comments_menu_item() -> MenuItem:
    return CommentsMenuItem("Bình luận", reverse("news_comments"), icon_name="comment", order=250)


class FromReportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(writable_sections(request.user))


@hooks.register("register_admin_menu_item")
def register_from_report_menu_item() -> MenuItem:
    return FromReportMenuItem(
        "Viết bài từ báo cáo", reverse("news_from_report"), icon_name="table", order=260
    )


class CommentCountsPanel(Component):
    name = "news_comments"
    order = 50
    template_name = "news/admin/home_panel.html"

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"counts": selectors.moderation_counts(self.user), "url": reverse("news_comments")}


@hooks.register("construct_homepage_panels")
def add_comment_counts(request: HttpRequest, panels: list[Any]) -> None:
    if selectors.moderated_articles(request.user).exists():
        panels.insert(0, CommentCountsPanel(request.user))


class QuotedFigureViewSet(SnippetViewSet):
    """Quoted figures in the admin: chosen in an article's figure block, listed, never typed in
    by hand (a quoted number is made only from a sent report, by ``services.figure_quote``)."""

    model = QuotedFigure
    icon = "table"
    menu_label = "Số liệu trích dẫn"
    add_to_admin_menu = False
    list_display = ["text", "label", "source", "organization_name", "reported_on"]
    search_fields = ["text", "label", "source"]


register_snippet(QuotedFigureViewSet)
