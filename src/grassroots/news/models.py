"""The committee's public news page on Wagtail: the home (``NewsHomePage``, the root of the
news site at ``/tin-tuc/``), categories (``CategoryPage``; a category with an ``organization``
is that organisation's section, edited by its people), articles (``ArticlePage``), the figures
an article quotes from sent reports (``QuotedFigure``, frozen copies) and readers' comments
(``ReaderComment``, shown only once approved).

Drafts, revisions, scheduled publishing (``go_live_at``) and the moderation workflow are
Wagtail's; who may write and who approves in which section is set by
:mod:`grassroots.news.services` from the project's roles and scopes."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.snippets.blocks import SnippetChooserBlock

from grassroots.core.text import fold, format_weekday_datetime


def slug_for(title: str) -> str:
    """An ASCII slug of a Vietnamese title: "Xây dựng Đảng" → "xay-dung-dang"."""
    return slugify(fold(title))[:80].strip("-") or "bai-viet"


#: The rich-text features of a paragraph: no raw HTML, no embeds, no images inside the text
#: (images are their own captioned block).
PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]


class QuotedFigure(models.Model):
    """One number quoted from a sent report: a copy made when it is quoted, of a report that is
    itself frozen at sending, so the article never changes under the reader and the public pages
    never read the registry. ``figure`` names the figure of the registry whose public definition
    the number links to."""

    text = models.CharField("Số liệu", max_length=40)
    label = models.CharField("Nội dung", max_length=300)
    figure = models.CharField("Chỉ tiêu (mã)", max_length=100)
    path = models.CharField("Vị trí trong chỉ tiêu", max_length=200, blank=True)
    source = models.CharField("Báo cáo", max_length=300)
    organization_name = models.CharField("Tổ chức báo cáo", max_length=300)
    reported_on = models.DateField("Số liệu tại ngày")
    sent_at = models.DateTimeField("Gửi lúc")
    submission = models.ForeignKey(
        "reports.Submission",
        verbose_name="Báo cáo đã gửi",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "số liệu trích dẫn"
        verbose_name_plural = "số liệu trích dẫn"

    def __str__(self) -> str:
        return f"{self.text} — {self.label} ({self.source})"


class FigureBlock(blocks.StructBlock):
    """A sentence that quotes a figure: the text before it, the number (with its source and a
    link to its definition), the text after it."""

    before = blocks.TextBlock(label="Trước số liệu", required=False)
    figure = SnippetChooserBlock(QuotedFigure, label="Số liệu")
    after = blocks.TextBlock(label="Sau số liệu", required=False)

    class Meta:
        template = "news/blocks/figure.html"
        label = "Số liệu từ báo cáo"
        icon = "table"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="Ảnh")
    caption = blocks.CharBlock(label="Chú thích", required=False, max_length=300)

    class Meta:
        template = "news/blocks/image.html"
        label = "Ảnh có chú thích"
        icon = "image"


BODY_BLOCKS: list[tuple[str, Any]] = [
    (
        "paragraph",
        blocks.RichTextBlock(
            features=PARAGRAPH_FEATURES, label="Đoạn văn", template="news/blocks/paragraph.html"
        ),
    ),
    ("image", CaptionedImageBlock()),
    ("figure", FigureBlock()),
]


class NewsHomePage(Page):
    """The news site's home: the latest articles of every category."""

    intro = models.CharField("Giới thiệu", max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.CategoryPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "trang chủ tin tức"

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from grassroots.news import selectors

        context = super().get_context(request, *args, **kwargs)
        context["categories"] = selectors.home_categories(self)
        return context


class CategoryPage(Page):
    """A category of articles; with an ``organization``, that organisation's section: its
    writers and editors work under it (:func:`grassroots.news.services.section_ensure`)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="Chuyên mục của tổ chức",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    intro = models.CharField("Giới thiệu", max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["news.ArticlePage"]
    parent_page_types = ["news.NewsHomePage"]

    class Meta:
        verbose_name = "chuyên mục"

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from grassroots.news import selectors

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = selectors.paginated(
            selectors.published_articles().child_of(self), request.GET.get("trang")
        )
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(Page):
    """An article laid out as the seed: kicker, title, date line, lead, body, author."""

    kicker = models.CharField("Tít phụ", max_length=200, blank=True)
    lead = models.TextField("Sapo", max_length=1000)
    body = StreamField(BODY_BLOCKS, verbose_name="Nội dung", blank=True)
    author = models.CharField("Tác giả", max_length=200, blank=True)
    published_at = models.DateTimeField(
        "Thời điểm đăng",
        null=True,
        blank=True,
        help_text="Để trống: thời điểm xuất bản lần đầu.",
    )
    tags = ClusterTaggableManager("Từ khóa", through=ArticleTag, blank=True)
    comments_open = models.BooleanField("Cho phép bình luận", default=True)
    is_sample = models.BooleanField("Bài mẫu", default=False)
    search_key = models.TextField(editable=False, default="")

    content_panels = [
        FieldPanel("kicker"),
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("published_at"),
                FieldPanel("tags"),
                FieldPanel("comments_open"),
                FieldPanel("is_sample"),
            ],
            heading="Thông tin bài",
        ),
    ]
    subpage_types: list[str] = []
    parent_page_types = ["news.CategoryPage"]

    class Meta:
        verbose_name = "bài viết"

    @property
    def shown_at(self) -> Any:
        return self.published_at or self.first_published_at or self.latest_revision_created_at

    @property
    def date_line(self) -> str:
        """As the seed: ``Thứ năm, 23/11/2023 - 19:55'``."""
        return f"{format_weekday_datetime(self.shown_at)}'" if self.shown_at else ""

    def body_text(self) -> str:
        parts = []
        for block in self.body:
            if block.block_type == "paragraph":
                parts.append(strip_tags(block.value.source))
            elif block.block_type == "figure":
                value = block.value
                parts.append(f"{value['before']} {value['figure'].text} {value['after']}")
            elif block.block_type == "image":
                parts.append(block.value["caption"] or "")
        return " ".join(parts)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The folded search key (diacritics optional): derived from the fields, never edited.
        self.search_key = fold(" ".join([self.kicker, self.title, self.lead, self.body_text()]))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_key" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_key"]
        super().save(*args, **kwargs)

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from grassroots.news import selectors
        from grassroots.news.forms import CommentForm

        context = super().get_context(request, *args, **kwargs)
        context["comments"] = selectors.approved_comments(self)
        context["related"] = selectors.related_articles(self)
        context["comment_form"] = kwargs.get("comment_form") or CommentForm(
            initial={"article": self.pk}
        )
        context["comment_sent"] = request.GET.get("binh-luan") == "da-gui"
        return context


class CommentStatus(models.TextChoices):
    PENDING = "pending", "Chờ duyệt"
    APPROVED = "approved", "Đã duyệt"
    REJECTED = "rejected", "Từ chối"
    SPAM = "spam", "Thư rác"


class ReaderComment(models.Model):
    """A reader's comment: shown on the article only once an editor approved it. The e-mail is
    for the editors, never shown; ``address_key`` is a keyed hash of the sender's address (the
    per-address rate limit), never the address itself."""

    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="reader_comments"
    )
    name = models.CharField("Họ tên", max_length=100)
    email = models.EmailField("Thư điện tử", blank=True)
    text = models.TextField("Nội dung", max_length=3000)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    address_key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "bình luận"
        verbose_name_plural = "bình luận"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:40]}"
