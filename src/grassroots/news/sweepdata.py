"""The news objects of the route sweep's world (``apps.py``, ``sweep_objects``): the home's
committee gets a section with a published article, a quoted figure and a pending comment."""

from grassroots.core.registry import SweepHome, SweepObjects
from grassroots.news import services
from grassroots.news.models import ArticlePage, slug_for
from grassroots.reports.services import submit


def build(home: SweepHome) -> SweepObjects:
    section = services.section_ensure(
        organization=home.committee, title=f"Chuyên mục {home.committee.code}"
    )
    submission = submit(
        "coverage", {"organization": home.committee.code, "as_of": home.day}, acting_user=None
    )
    figure = services.figure_quote(
        acting_user=None, submission_id=submission.pk, path="cells", label="Chi bộ"
    )
    article = section.add_child(
        instance=ArticlePage(
            title=f"Bài viết {home.committee.code}",
            slug=slug_for(f"bai-viet-{home.committee.code}"),
            lead="Sapo.",
            body=[("figure", {"before": "Còn", "figure": figure, "after": "bản."})],
        )
    )
    article.tags.add("xây dựng Đảng")
    article.save_revision().publish()
    services.comment_post(
        article=article, name="Bạn đọc", email="", text="Ý kiến.", address="192.0.2.1"
    )
    return SweepObjects(kwargs={"name": "images/khong-co.jpg"})
