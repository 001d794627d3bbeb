"""Login, logout, lockout and the "my account" page."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-an-toan-2026"


def test_login_page_renders_and_logs_in_to_the_dashboard(client, tree, make_user):
    make_user("bithu", tree["X01"], "secretary")
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    response = client.post(reverse("login"), {"username": "bithu", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_wrong_password_shows_an_error_and_stays_logged_out(client, tree, make_user):
    make_user("bithu", tree["X01"], "secretary")
    response = client.post(reverse("login"), {"username": "bithu", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_with_the_lockout_page(client, tree, make_user):
    make_user("bithu", tree["X01"], "secretary")
    for _ in range(5):
        client.post(reverse("login"), {"username": "bithu", "password": "sai-mat-khau"})
    response = client.post(reverse("login"), {"username": "bithu", "password": PASSWORD})
    assert response.status_code == 429
    assert "registration/locked.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_returns_to_login(client, tree, make_user):
    user = make_user("bithu", tree["X01"], "secretary")
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_my_account_shows_role_and_changes_password(client, tree, make_user):
    user = make_user("bithu", tree["X01"], "secretary")
    client.force_login(user)
    html = client.get(reverse("accounts:me")).content.decode()
    assert "Đảng bộ xã Nà Hỳ" in html
    response = client.post(reverse("accounts:me"), {
        "old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-2027", "new_password2": "Mot-mat-khau-moi-2027",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Mot-mat-khau-moi-2027")


def test_base_layout_shows_user_role_and_organization(client, tree, make_user):
    user = make_user("bithu", tree["X01"], "viewer")
    client.force_login(user)
    html = client.get(reverse("accounts:me")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "Đảng bộ xã Nà Hỳ" in html.split("</header>")[0]
    assert 'href="/imports/"' not in html  # only writers see the import menu
    assert "/static/vendor/htmx.min.js" in html and "http" not in html.split("<body")[0].replace("http-equiv", "")


def test_error_pages_use_the_layout(client, tree, make_user):
    user = make_user("xem", tree["X01"], "viewer")
    client.force_login(user)
    response = client.get("/members/KHONG-CO/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    response = client.get(reverse("members:create"))
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
