"""Issue 9 items 6–7: headers (CSP, HSTS behind TLS, no-store), the API schema behind a login, expiring
tokens, the second factor of admins and organizers, throttling per username and per address, and the
audit of account events and of every file handed out."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.oath import TOTP
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
PASSWORD = "Mat-khau-an-toan-2026"


def _code(device, steps_ahead=0):
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    t.time = timezone.now().timestamp() + steps_ahead * device.step
    return f"{t.token():06d}"


def _events(user=None, event=None):
    qs = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    if user is not None:
        qs = qs.filter(object_pk=str(user.pk))
    events = [(e.additional_data or {}).get("event") for e in qs.order_by("pk")]
    return [e for e in events if e and (event is None or e == event)]


# --- Headers -----------------------------------------------------------------------------------------


def test_every_page_has_a_strict_content_security_policy(client, tree, make_user):
    client.force_login(make_user("bithu", tree["X01"], "secretary"))
    for url in (reverse("login"), reverse("dashboard"), reverse("organizations:tree")):
        csp = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'"
        assert "unsafe" not in directives["script-src"] and "unsafe" not in directives["style-src"]
        assert directives["frame-ancestors"] == "'none'"


def test_no_page_has_an_inline_script_or_event_handler(client, tree, make_user, make_member):
    import re

    make_member(tree["C01"], code="DV001")
    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    pages = [reverse("dashboard"), reverse("organizations:tree"), reverse("organizations:detail", args=["X01"]),
             reverse("organizations:split", args=["X01"]), reverse("members:list"),
             reverse("members:detail", args=["DV001"]), reverse("accounts:me")]
    for url in pages:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", html), url
        assert not re.search(r"<style", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "hx-on" not in html and "js:" not in html, url


def test_authenticated_answers_are_not_stored(client, tree, make_user):
    user = make_user("bithu", tree["X01"], "secretary")
    client.force_login(user)
    for url in (reverse("dashboard"), reverse("members:export"), "/api/members/"):
        assert "no-store" in client.get(url)["Cache-Control"], url
    token = Token.objects.create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert "no-store" in api.get("/api/members/")["Cache-Control"]


def test_behind_tls_hsts_and_the_proxy_header(monkeypatch, settings):
    monkeypatch.setenv("DANGVU_BEHIND_TLS", "1")
    import dangvu.settings as module

    try:
        s = importlib.reload(module)
        assert s.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
        assert s.SECURE_HSTS_SECONDS >= 31536000 and s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE
        assert s.AXES_IPWARE_META_PRECEDENCE_ORDER[0] == "HTTP_X_FORWARDED_FOR"
    finally:
        monkeypatch.delenv("DANGVU_BEHIND_TLS")
        importlib.reload(module)
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in Client().get(reverse("login"))


# --- API schema, docs, tokens ------------------------------------------------------------------------


def test_the_api_schema_and_docs_need_a_login(client, tree, make_user):
    assert client.get(reverse("api-schema")).status_code in (401, 403)
    for name in ("api-docs", "api-redoc"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(make_user("bithu", tree["X01"], "secretary"))
    assert client.get(reverse("api-schema")).status_code == 200
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200 and "<script>" not in docs.content.decode()


def test_tokens_expire_and_a_new_one_is_issued(tree, make_user, settings):
    user = make_user("bithu", tree["X01"], "secretary")
    api = APIClient()
    key = api.post("/api/token/", {"username": "bithu", "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/members/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS + 1))
    assert api.get("/api/members/").status_code in (401, 403)
    new = APIClient().post("/api/token/", {"username": "bithu", "password": PASSWORD}).json()["token"]
    assert new != key
    api.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert api.get("/api/members/").status_code == 200
    assert _events(user, "api_token_created") == ["api_token_created", "api_token_created"]


def test_api_of_the_second_factor_roles_token_with_a_code_and_no_basic(tree, make_user):
    from dangvu.accounts.services import totp_device_pending, totp_enrol_confirm

    user = make_user("bantochuc", tree["H01"], "organizer")
    device = totp_device_pending(user)
    codes = totp_enrol_confirm(user=user, device=device, code=_code(device))
    api = APIClient()
    refused = api.post("/api/token/", {"username": "bantochuc", "password": PASSWORD})
    assert refused.status_code == 400 and "otp" in refused.json()
    assert not Token.objects.filter(user=user).exists()
    key = api.post("/api/token/", {"username": "bantochuc", "password": PASSWORD, "otp": codes[0]}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/members/").status_code == 200
    basic = APIClient()
    basic.credentials(HTTP_AUTHORIZATION="Basic " + __import__("base64").b64encode(f"bantochuc:{PASSWORD}".encode()).decode())
    assert basic.get("/api/members/").status_code in (401, 403)


# --- The second factor -------------------------------------------------------------------------------


def test_an_organizer_enrols_then_verifies_a_code_at_the_next_login(tree, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = make_user("bantochuc", tree["H01"], "organizer")
    c = Client()
    response = c.post(reverse("login"), {"username": "bantochuc", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:otp_enrol"))
    assert "<svg" in response.content.decode()
    assert c.get(reverse("members:list"))["Location"].startswith(reverse("accounts:otp_enrol"))
    assert c.get("/api/members/").status_code == 403
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = c.post(reverse("accounts:otp_enrol"), {"code": "000000"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["code"]
    device.refresh_from_db()
    device.throttle_reset()  # a failed code holds the next one back a second (django-otp)
    done = c.post(reverse("accounts:otp_enrol"), {"code": _code(device), "next": "/members/"})
    assert len(done.context["codes"]) == 10
    assert c.get(reverse("members:list")).status_code == 200

    c2 = Client()
    c2.post(reverse("login"), {"username": "bantochuc", "password": PASSWORD})
    assert c2.get(reverse("members:list"))["Location"].startswith(reverse("accounts:otp_verify"))
    assert c2.get(reverse("accounts:otp_enrol"))["Location"].startswith(reverse("accounts:otp_verify"))  # no new device
    assert c2.post(reverse("accounts:otp_verify"), {"code": "123"}).status_code == 200
    for d in devices_for_user(user):  # a failed code holds every device of the user back a second
        d.throttle_reset()
    device.refresh_from_db()
    ok = c2.post(reverse("accounts:otp_verify"), {"code": _code(device, steps_ahead=1), "next": "/members/"})
    assert ok.status_code == 302 and ok["Location"] == "/members/"
    assert c2.get(reverse("members:list")).status_code == 200
    recovery = done.context["codes"][0]
    c3 = Client()
    c3.post(reverse("login"), {"username": "bantochuc", "password": PASSWORD})
    assert c3.post(reverse("accounts:otp_verify"), {"code": recovery}).status_code == 302
    c4 = Client()
    c4.post(reverse("login"), {"username": "bantochuc", "password": PASSWORD})
    assert c4.post(reverse("accounts:otp_verify"), {"code": recovery}).status_code == 200  # used once only
    assert "otp_failed" in _events(user)


@pytest.mark.parametrize("role", ["secretary", "inspector", "viewer"])
def test_other_roles_log_in_with_the_password_alone(tree, make_user, role):
    make_user("nguoidung", tree["X01"], role)
    c = Client()
    assert c.post(reverse("login"), {"username": "nguoidung", "password": PASSWORD})["Location"] == reverse("dashboard")
    assert c.get(reverse("members:list")).status_code == 200


# --- Throttling ----------------------------------------------------------------------------------------


def test_one_username_is_locked_whatever_the_address(tree, make_user):
    make_user("bithu", tree["X01"], "secretary")
    for i in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{i + 1}").post(reverse("login"), {"username": "bithu", "password": "sai-mat-khau"})
    response = Client(REMOTE_ADDR="10.0.0.99").post(reverse("login"), {"username": "bithu", "password": PASSWORD})
    assert response.status_code == 429


def test_one_address_is_locked_whatever_the_usernames(tree, make_user):
    make_user("bithu", tree["X01"], "secretary")
    c = Client(REMOTE_ADDR="10.0.0.7")
    for i in range(5):
        c.post(reverse("login"), {"username": f"ten{i}", "password": "sai-mat-khau"})
    response = c.post(reverse("login"), {"username": "bithu", "password": PASSWORD})
    assert response.status_code == 429
    assert "30" in response.content.decode()


# --- Audit ---------------------------------------------------------------------------------------------


def test_logins_failures_logouts_and_password_changes_are_audited(tree, make_user):
    user = make_user("bithu", tree["X01"], "secretary")
    c = Client()
    c.post(reverse("login"), {"username": "bithu", "password": "sai-mat-khau"})
    c.post(reverse("login"), {"username": "khongco", "password": "sai-mat-khau"})
    c.post(reverse("login"), {"username": "bithu", "password": PASSWORD})
    c.post(reverse("accounts:me"), {"old_password": PASSWORD, "new_password1": "Mot-mat-khau-moi-2027",
                                    "new_password2": "Mot-mat-khau-moi-2027"})
    c.post(reverse("logout"))
    assert _events(user) == ["login_failed", "login", "logout"]
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk="khongco").exists()
    change = LogEntry.objects.get(action=LogEntry.Action.UPDATE, object_pk=str(user.pk), changes__has_key="password")
    assert change.actor == user
    assert "Mot-mat-khau" not in str(change.changes)


def test_enrolment_is_audited(tree, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dangvu.accounts.services import totp_device_pending, totp_enrol_confirm

    user = make_user("bantochuc", tree["H01"], "organizer")
    device = totp_device_pending(user)
    totp_enrol_confirm(user=user, device=device, code=_code(device))
    entries = LogEntry.objects.get_for_model(TOTPDevice).filter(object_pk=str(device.pk))
    assert [e.action for e in entries.order_by("pk")] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert "key" not in str([e.changes for e in entries])


def test_every_file_handed_out_is_audited_as_an_export(client, tree, make_user, make_member):
    make_member(tree["C01"], code="DV001")
    user = make_user("bantochuc", tree["H01"], "organizer")
    client.force_login(user)
    client.get(reverse("members:export"))
    client.get(reverse("lifecycle:document_sheet", kwargs={"code": "DV001", "fmt": "docx"}))
    client.get(reverse("reports:snapshot"), {"format": "xlsx", "org": "H01"})
    exports = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__event="export", actor=user)
    paths = [e.additional_data["path"] for e in exports.order_by("pk")]
    assert paths[0] == reverse("members:export") and len(paths) == 3
    assert all(e.additional_data["file"] for e in exports)
