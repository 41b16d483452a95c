"""The news objects of the route sweep's world (``apps.py``, ``sweep_objects``): the home's
committee gets a section with a published article, a quoted figure and a pending comment."""

from datetime import datetime

from django.utils import timezone

from grassroots.core.registry import SweepHome, SweepObjects
from grassroots.news import services
from grassroots.news.models import ArticlePage, QuotedFigure


def build(home: SweepHome) -> SweepObjects:
    section = services.section_ensure(
        organization=home.committee, title=f"Chuyên mục {home.committee.code}"
    )
    figure = QuotedFigure.objects.create(
        text="20/70",
        label="Bản chưa có chi bộ",
        figure="coverage",
        path="places.without_cell",
        source="Báo cáo mẫu",
        organization_name=str(home.committee.code),
        reported_on=home.day,
        sent_at=timezone.make_aware(datetime(home.day.year, home.day.month, home.day.day, 9)),
    )
    article = section.add_child(
        instance=ArticlePage(
            title=f"Bài viết {home.committee.code}",
            slug=f"bai-viet-{home.committee.code.lower()}",
            lead="Sapo.",
            body=[("figure", {"before": "Còn", "figure": figure, "after": "bản."})],
        )
    )
    article.save_revision().publish()
    services.comment_post(
        article=article, name="Bạn đọc", email="", text="Ý kiến.", address="192.0.2.1"
    )
    return SweepObjects(kwargs={"name": "images/khong-co.jpg"})
