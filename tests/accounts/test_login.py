import pytest
from django.urls import reverse

PASSWORD = "mật-khẩu-đủ-dài-1"


@pytest.mark.django_db
def test_login_page_is_vietnamese(client):
    response = client.get(reverse("accounts:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đăng nhập" in body and "Mật khẩu" in body
    assert 'lang="vi"' in body


@pytest.mark.django_db
def test_home_requires_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_login_then_home_greets_user(client, make_user):
    make_user("lvquan", full_name="Lù Văn Quân")
    response = client.post(
        reverse("accounts:login"), {"username": "lvquan", "password": PASSWORD}, follow=True
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lù Văn Quân" in body
    assert "công tác tổ chức xây dựng Đảng" in body


@pytest.mark.django_db
def test_wrong_password_is_refused_in_vietnamese(client, make_user):
    make_user("lvquan")
    response = client.post(reverse("accounts:login"), {"username": "lvquan", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_ten_failures_lock_the_login(client, make_user):
    make_user("lvquan")
    url = reverse("accounts:login")
    for _ in range(10):
        client.post(url, {"username": "lvquan", "password": "sai"})
    # Even the right password is refused while locked.
    response = client.post(url, {"username": "lvquan", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_nine_failures_do_not_lock(client, make_user):
    make_user("lvquan")
    url = reverse("accounts:login")
    for _ in range(9):
        client.post(url, {"username": "lvquan", "password": "sai"})
    client.post(url, {"username": "lvquan", "password": PASSWORD})
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_logout_needs_post_and_ends_session(client, make_user):
    user = make_user("lvquan")
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change(client, make_user):
    user = make_user("lvquan")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Bản-Nậm-Ngà-2024",
            "new_password2": "Bản-Nậm-Ngà-2024",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Bản-Nậm-Ngà-2024")


@pytest.mark.django_db
def test_password_change_mismatch_rerenders_with_error(client, make_user):
    user = make_user("lvquan")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Bản-Nậm-Ngà-2024", "new_password2": "khác"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert 'class="error"' in response.content.decode()


@pytest.mark.django_db
def test_roles_exist_and_imply_admin(make_user):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {
        "viewer",
        "editor",
        "inspector",
        "admin",
    }
    viewer = make_user("xem", roles=["viewer"])
    editor = make_user("sua", roles=["editor"])
    boss = make_user("boss", roles=["admin"])
    assert not viewer.can_edit
    assert editor.can_edit and not editor.has_role("inspector")
    assert boss.can_edit and boss.has_role("inspector")
