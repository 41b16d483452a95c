"""The menu comes from the app registry: each entry with the role that sees it."""

import re

import pytest

from grassroots.core import registry


def _menu(client, user, path="/"):
    client.force_login(user)
    html = client.get(path).content.decode()
    nav = re.search(r'<nav class="nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)


@pytest.mark.django_db
def test_a_viewer_is_not_shown_the_import_page_it_cannot_open(client, make_user, reg):
    viewer = make_user("xem", roles=["viewer"], scope=reg.commune_committee_a)
    links = {href for href, _, _ in _menu(client, viewer)}
    assert "/interchange/" not in links
    assert {"/", "/statistics/", "/members/", "/organizations/", "/places/"} <= links
    for href in links:  # every link the viewer is shown opens for them
        assert client.get(href).status_code == 200, href


@pytest.mark.django_db
def test_an_editor_sees_every_entry_in_order_and_the_current_one(client, make_user, reg):
    editor = make_user("sua", roles=["editor"], scope=reg.commune_committee_a)
    menu = _menu(client, editor, "/members/checks/")
    # Every entry but those of roles the editor lacks (the administrators' accesses page, the
    # inspectors' cases).
    assert [label for _, _, label in menu] == [
        e.label for e in registry.menu_entries() if e.role in (None, "viewer", "editor")
    ]
    assert "Kiểm tra, giám sát" not in {label for _, _, label in menu}
    assert "/interchange/" in {href for href, _, _ in menu}
    # Every page of the members app marks the members link, the checks page too.
    assert [label for _, current, label in menu if current] == ["Đảng viên"]
    menu = _menu(client, editor, f"/ratings/?organization={reg.cell_a.code}")
    assert [label for _, current, label in menu if current] == ["Xếp loại"]


def test_every_app_with_pages_declares_its_menu_entries_with_known_roles():
    from grassroots.core.roles import ROLES

    assert all(e.role is None or e.role in ROLES for e in registry.menu_entries())
    labels = [e.label for e in registry.menu_entries()]
    assert labels[0] == "Trang chủ" and labels[-2:] == ["Nhập/xuất", "Truy cập dữ liệu cá nhân"]
