"""Writes of the news module: the news site and its sections, the Wagtail groups that map the
project's roles onto a section, readers' comments and their moderation, quoted figures.

Roles (``core.roles``) map onto Wagtail as follows, per section (a ``CategoryPage`` with an
organisation) in the user's scope today:

- ``editor`` ("Cập nhật") → the section's **writers**: add and edit pages; a draft is submitted
  to the section's workflow, never published by them;
- ``admin`` ("Quản trị") → the section's **editors**: approve (publish) and moderate comments.

Pages, revisions, the workflow's steps and publication are logged by Wagtail (its page history);
comment moderation is audited by django-auditlog, with the acting user.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from grassroots import policy
from grassroots.core import roles, scope
from grassroots.core.audit import acting_as
from grassroots.core.errors import NotFound, RuleError
from grassroots.core.text import format_date, format_number, nfc
from grassroots.news import selectors
from grassroots.news.models import (
    ArticlePage,
    CategoryPage,
    CommentStatus,
    NewsHomePage,
    QuotedFigure,
    ReaderComment,
    slug_for,
)

NEWS_GROUP_PREFIX = "Tin tức · "
WRITER_PERMISSIONS = ("add_page", "change_page")
EDITOR_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
IMAGE_PERMISSIONS = ("add_image", "choose_image")


def site_ensure(*, title: str = "Tin tức", hostname: str = "localhost") -> NewsHomePage:
    """The news home under Wagtail's root, and the default site serving it (idempotent)."""
    home = NewsHomePage.objects.first()
    if home is None:
        # Wagtail's first migrations make the locale and the root; an emptied database
        # (``flush``, a restored empty backup) has neither
        if not Locale.objects.exists():
            Locale.objects.create(
                language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
            )
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=NewsHomePage(title=title, slug="tin-tuc"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=hostname, root_page=home, is_default_site=True, site_name=title
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = title
        site.save(update_fields=["root_page", "site_name"])
    return home


def _group(name: str) -> Group:
    group, _ = Group.objects.get_or_create(name=f"{NEWS_GROUP_PREFIX}{name}")
    return group


def section_groups(section: CategoryPage) -> tuple[Group, Group]:
    """The section's writers and editors (Wagtail groups, created on demand)."""
    code = section.organization.code if section.organization else section.slug
    return _group(f"người viết · {code}"), _group(f"biên tập · {code}")


@transaction.atomic
def section_ensure(
    *, organization: Any, title: str, slug: str | None = None, intro: str = ""
) -> CategoryPage:
    """The organisation's section: a category page, its writers' and editors' groups with their
    page permissions, and its workflow (writer → editor approves → published). Idempotent."""
    home = site_ensure()
    section = CategoryPage.objects.filter(organization=organization).first()
    if section is None:
        section = home.add_child(
            instance=CategoryPage(
                title=title,
                slug=slug or organization.code.lower(),
                organization=organization,
                intro=intro,
            )
        )
        section.save_revision().publish()
    writers, editors = section_groups(section)
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    # Choosing a quoted figure in the editor; no add/change: figures come from sent reports.
    view_figures = Permission.objects.get(
        content_type__app_label="news", codename="view_quotedfigure"
    )
    for group, codenames in ((writers, WRITER_PERMISSIONS), (editors, EDITOR_PERMISSIONS)):
        group.permissions.add(admin_access, view_figures)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=section,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        for codename in IMAGE_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailimages", codename=codename
                ),
            )
    if not WorkflowPage.objects.filter(page=section).exists():
        workflow = Workflow.objects.create(name=f"Duyệt bài: {title}")
        task = GroupApprovalTask.objects.create(name=f"Biên tập duyệt: {title}")
        task.groups.set([editors])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(page=section, workflow=workflow)
    return section


@transaction.atomic
def access_sync(*, user: Any) -> None:
    """Put ``user`` in exactly the news groups their roles and scope give: the writers of every
    section whose organisation is in their scope today when they are an editor, its editors when
    they are an admin. Run at every sign-in (``apps.py``) and after a section is created."""
    wanted: set[int] = set()
    if user.is_active and user.scope_id is not None:
        in_scope = scope.subtree_on(user.scope_id, scope.change_day())
        for section in CategoryPage.objects.filter(organization_id__in=in_scope):
            writers, editors = section_groups(section)
            if user.has_role(roles.ADMIN):
                wanted.add(editors.pk)
            elif user.has_role(roles.EDITOR):
                wanted.add(writers.pk)
    current = set(
        user.groups.filter(name__startswith=NEWS_GROUP_PREFIX).values_list("pk", flat=True)
    )
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))
    if hasattr(user, "_role_cache"):
        del user._role_cache


def address_key(address: str) -> str:
    """A keyed hash of a reader's address: enough to count their comments, not to know them."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def comment_post(
    *, article: ArticlePage, name: str, email: str, text: str, address: str
) -> ReaderComment:
    """A reader's comment, pending moderation. Refused when the article is not live or takes no
    comments, or when the address sent too many comments lately (policy)."""
    if not article.live or not article.comments_open:
        raise RuleError("Bài viết này không nhận bình luận.", code="comments_closed")
    key = address_key(address)
    since = timezone.now() - timedelta(minutes=policy.NEWS_COMMENT_WINDOW_MINUTES)
    recent = ReaderComment.objects.filter(address_key=key, created_at__gte=since).count()
    if recent >= policy.NEWS_COMMENTS_PER_ADDRESS:
        raise RuleError(
            f"Bạn đã gửi {recent} bình luận trong {policy.NEWS_COMMENT_WINDOW_MINUTES} phút; "
            "xin vui lòng đợi một lúc rồi gửi lại.",
            code="rate_limited",
        )
    name, text = nfc(name).strip(), nfc(text).strip()
    if not name or not text:
        raise RuleError("Xin nhập họ tên và nội dung bình luận.", code="required")
    return ReaderComment.objects.create(
        article=article, name=name, email=email.strip(), text=text, address_key=key
    )


@transaction.atomic
def comment_moderate(*, acting_user: Any, comment_id: int, status: str) -> ReaderComment:
    """Approve, reject or mark as spam a comment of an article the user moderates (any other
    comment is not found). Audited with the acting user; nothing changes when the status is
    already ``status``."""
    if status not in CommentStatus.values or status == CommentStatus.PENDING:
        raise RuleError("Thao tác duyệt không hợp lệ.", code="bad_status")
    comment = (
        ReaderComment.objects.select_for_update()
        .filter(article__in=selectors.moderated_articles(acting_user), pk=comment_id)
        .first()
    )
    if comment is None:
        raise NotFound("Không tìm thấy bình luận.")
    if comment.status == status:
        return comment
    with acting_as(acting_user):
        comment.status = status
        comment.moderated_by = acting_user
        comment.moderated_at = timezone.now()
        comment.save(update_fields=["status", "moderated_by", "moderated_at"])
    return comment


def _free_slug(parent: Any, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def _number_at(report: Any, path: str) -> int:
    value: Any = report
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise RuleError(f"Báo cáo không có số liệu “{path}”.", code="unknown_path")
        value = value[part]
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"“{path}” không phải một số trong báo cáo.", code="unknown_path")
    return value


@transaction.atomic
def figure_quote(
    *,
    acting_user: Any,
    submission_id: int,
    path: str,
    of_path: str = "",
    without_path: str = "",
    label: str = "",
) -> QuotedFigure:
    """Quote the number at ``path`` of a sent report the user may read (``"20/70"`` with
    ``of_path``, the whole it is a part of; ``"1.023"`` without; ``without_path``: less the
    number there, "villages with a cell" = total less those without): a copy, made now, of a
    report frozen at sending. Refused for a path that names no number."""
    from grassroots.core import figures as figure_registry
    from grassroots.reports.services import submission_by_id

    submission = submission_by_id(submission_id, user=acting_user)
    report = submission.report
    number = _number_at(report, path)
    if without_path:
        number -= _number_at(report, without_path)
    text = format_number(number)
    if of_path:
        text = f"{text}/{format_number(_number_at(report, of_path))}"
    figure = figure_registry.get(submission.figure)
    version = submission.organization.versions.valid_on(submission.report_day).first()
    with acting_as(acting_user):
        return QuotedFigure.objects.create(
            submission=submission,
            text=text,
            label=label or figure.title_of(path),
            figure=submission.figure,
            path="".join(
                [path, f"-{without_path}" if without_path else "", f"/{of_path}" if of_path else ""]
            ),
            source=f"Báo cáo “{figure.label}”",
            organization_name=version.name if version else submission.organization_code,
            reported_on=submission.report_day,
            sent_at=submission.submitted_at,
        )


def narrative(submission: Any, organization_name: str) -> str:
    """The paragraph that opens a draft made from a sent report."""
    from grassroots.core import figures as figure_registry

    figure = figure_registry.get(submission.figure)
    return (
        f"Theo báo cáo “{figure.label}” của {organization_name}, số liệu tại ngày "
        f"{format_date(submission.report_day)}, gửi cấp trên ngày "
        f"{format_date(submission.submitted_at)}:"
    )


@transaction.atomic
def article_draft_from_submission(
    *, acting_user: Any, submission_id: int, section: CategoryPage, title: str = ""
) -> ArticlePage:
    """Start a draft article in ``section`` from a sent report the user may read: the lead is the
    report's narrative and the body quotes each of its numbers (``QuotedFigure``); the writer
    writes the rest and submits it to the section's workflow. The user must be allowed to add
    articles in the section."""
    from grassroots.core import figures as figure_registry
    from grassroots.reports.services import submission_by_id

    if not section.permissions_for_user(acting_user).can_add_subpage():
        raise NotFound("Không tìm thấy chuyên mục.")
    submission = submission_by_id(submission_id, user=acting_user)
    figure = figure_registry.get(submission.figure)
    quoted = [
        figure_quote(acting_user=acting_user, submission_id=submission.pk, path=path)
        for path, _ in figure.counted(submission.report)
    ]
    name = quoted[0].organization_name if quoted else submission.organization_code
    body: list[tuple[str, Any]] = [
        ("figure", {"before": f"{q.label}:", "figure": q, "after": ""}) for q in quoted
    ]
    article = section.add_child(
        instance=ArticlePage(
            title=(title := title or f"{figure.label} ({name})"),
            slug=_free_slug(section, slug_for(title)),
            lead=narrative(submission, name),
            body=body,
            owner=acting_user,
            live=False,
        )
    )
    article.save_revision(user=acting_user, log_action=True)
    return article
