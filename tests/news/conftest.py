import pytest

from grassroots.news import services
from grassroots.news.models import ArticlePage, slug_for


@pytest.fixture
def section(reg):
    return services.section_ensure(
        organization=reg.commune_committee_a, title="Xã Nậm Hàng", slug="xa-nam-hang"
    )


@pytest.fixture
def publish(section):
    def make(title="Bài viết", section=section, **fields):
        fields.setdefault("lead", "Sapo của bài.")
        article = section.add_child(
            instance=ArticlePage(
                title=title, slug=fields.pop("slug", None) or slug_for(title), **fields
            )
        )
        article.save_revision().publish()
        article.refresh_from_db()
        return article

    return make
