"""Sections, roles and the moderation workflow: a writer's draft goes to the section's editors,
who approve it and it is published; nobody edits another organisation's section."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from grassroots.news import services
from grassroots.news.models import ArticlePage, slug_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, reg, section):
    other = services.section_ensure(organization=reg.commune_committee_b, title="Xã Hua Bum")
    users = {
        "writer": make_user("viet-a", roles=["editor"], scope=reg.commune_committee_a),
        "editor": make_user("bientap-a", roles=["admin"], scope=reg.commune_committee_a),
        "viewer": make_user("xem-a", roles=["viewer"], scope=reg.commune_committee_a),
        "outsider": make_user("viet-b", roles=["editor"], scope=reg.commune_committee_b),
    }
    for user in users.values():
        services.access_sync(user=user)
    users["other_section"] = other
    return users


def test_roles_map_onto_the_sections_groups(people, section):
    writers, editors = services.section_groups(section)
    assert list(people["writer"].groups.filter(name__startswith="Tin tức")) == [writers]
    assert list(people["editor"].groups.filter(name__startswith="Tin tức")) == [editors]
    assert not people["viewer"].groups.filter(name__startswith="Tin tức").exists()
    assert section.permissions_for_user(people["writer"]).can_add_subpage()
    assert not section.permissions_for_user(people["outsider"]).can_add_subpage()
    assert not people["other_section"].permissions_for_user(people["writer"]).can_add_subpage()


def test_a_writer_cannot_publish_an_editor_approves(people, section):
    writer, editor = people["writer"], people["editor"]
    draft = section.add_child(
        instance=ArticlePage(title="Bài của người viết", slug=slug_for("Bài"), lead="Sapo")
    )
    draft.live = False
    draft.save()
    revision = draft.save_revision(user=writer)
    assert not draft.permissions_for_user(writer).can_publish()
    assert draft.permissions_for_user(editor).can_publish()
    workflow = draft.get_workflow()
    assert workflow is not None
    state = workflow.start(draft, writer)
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    task = task_state.task.specific
    assert "approve" not in [a[0] for a in task.get_actions(draft, writer)]
    assert "approve" in [a[0] for a in task.get_actions(draft, editor)]
    task.on_action(task_state, editor, "approve")
    draft.refresh_from_db()
    assert draft.live
    assert draft.live_revision_id == revision.pk


def test_a_writer_changes_no_other_section_in_the_admin(client, people):
    other = people["other_section"]
    client.force_login(people["writer"])
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", other.pk])
    assert client.get(url).status_code in (302, 403)


def test_the_admin_needs_a_login_and_a_section(client, people):
    response = client.get("/cms/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(people["viewer"])
    assert client.get("/cms/").status_code in (302, 403)
    client.force_login(people["writer"])
    page = client.get("/cms/")
    assert page.status_code == 200
    assert "'unsafe-inline'" in page["Content-Security-Policy"]
    assert "'unsafe-inline'" not in client.get("/tin-tuc/")["Content-Security-Policy"]


def test_the_admin_speaks_vietnamese(client, people):
    client.force_login(people["editor"])
    assert "Trang" in client.get("/cms/").content.decode()
