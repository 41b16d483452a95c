"""Figures quoted from sent reports: frozen copies, linked to their definitions; a draft made
from a report."""

import pytest
from django.urls import reverse

from grassroots.core.errors import NotFound, RuleError
from grassroots.news import services
from grassroots.news.models import ArticlePage, QuotedFigure
from grassroots.reports.services import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(reg, make_user):
    from datetime import date

    sender = make_user("gui-a", roles=["editor"], scope=reg.commune_committee_a)
    return submit(
        "coverage",
        {"organization": reg.commune_committee_a.code, "as_of": date(2020, 1, 2)},
        acting_user=sender,
    )


@pytest.fixture
def writer(make_user, reg, section):
    user = make_user("viet-a", roles=["editor"], scope=reg.commune_committee_a)
    services.access_sync(user=user)
    return user


def test_a_quoted_figure_is_a_copy_of_the_sent_number(sent, writer):
    total = sent.report["places"]["village"]["total"]
    without = sent.report["places"]["village"]["without_cell"]
    quoted = services.figure_quote(
        acting_user=writer,
        submission_id=sent.pk,
        path="places.village.without_cell",
        of_path="places.village.total",
    )
    assert quoted.text == f"{without}/{total}"
    assert quoted.figure == "coverage"
    assert quoted.reported_on.isoformat() == "2020-01-02"
    assert quoted.sent_at == sent.submitted_at
    assert quoted.organization_name == "Đảng bộ xã Nậm Hàng"


def test_a_path_that_names_no_number_is_refused(sent, writer):
    with pytest.raises(RuleError):
        services.figure_quote(acting_user=writer, submission_id=sent.pk, path="places")
    with pytest.raises(RuleError):
        services.figure_quote(acting_user=writer, submission_id=sent.pk, path="nope.x")
    assert not QuotedFigure.objects.exists()


def test_another_communes_report_cannot_be_quoted(sent, make_user, reg):
    outsider = make_user("viet-b", roles=["editor"], scope=reg.commune_committee_b)
    with pytest.raises(NotFound):
        services.figure_quote(acting_user=outsider, submission_id=sent.pk, path="cells")


def test_the_article_shows_the_figure_its_date_and_its_definition(client, sent, writer, publish):
    quoted = services.figure_quote(acting_user=writer, submission_id=sent.pk, path="cells")
    article = publish(
        "Bài có số liệu",
        body=[("figure", {"before": "Toàn xã có", "figure": quoted, "after": "chi bộ."})],
    )
    body = client.get(article.url).content.decode()
    link = reverse("news:definitions") + "#figure-coverage"
    assert f'<a class="figure" href="{link}"' in body
    assert "số liệu tại ngày 02/01/2020" in body
    assert (
        f"gửi ngày {quoted.sent_at.astimezone().strftime('%d/%m/%Y')}" in body or "gửi ngày" in body
    )


def test_an_editor_starts_a_draft_from_a_sent_report(client, sent, writer, section):
    client.force_login(writer)
    assert client.get(reverse("news_from_report")).status_code == 200
    response = client.post(
        reverse("news_from_report"), {"submission": sent.pk, "section": section.pk}
    )
    assert response.status_code == 302
    draft = ArticlePage.objects.get()
    assert not draft.live
    assert draft.lead.startswith(
        "Theo báo cáo “Đảng viên, chi bộ và địa bàn” của Đảng bộ xã Nậm Hàng"
    )
    figures = [b.value["figure"] for b in draft.body if b.block_type == "figure"]
    assert figures and all(f.submission_id == sent.pk for f in figures)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])


def test_a_draft_from_another_communes_report_is_refused(client, sent, make_user, reg):
    other = services.section_ensure(organization=reg.commune_committee_b, title="Xã Hua Bum")
    outsider = make_user("viet-b", roles=["editor"], scope=reg.commune_committee_b)
    services.access_sync(user=outsider)
    client.force_login(outsider)
    response = client.post(
        reverse("news_from_report"), {"submission": sent.pk, "section": other.pk}
    )
    assert response.status_code == 400
    assert not ArticlePage.objects.exists()
