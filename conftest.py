"""Shared test fixtures: a small district tree and helpers built through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.core.audit import audit_context


@pytest.fixture(autouse=True)
def _vietnamese(settings):
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _tasks_at_once(settings):
    """Background tasks (settings.TASKS) run at once, inside the test, instead of in a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def tree(db):
    """H01 (district) → X01 (grassroots committee) → C01, C02 (cells); X02 (grassroots cell, its own
    chi bộ cơ sở); H01 established since ever, the rest on 01/01/2012."""
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish as est

    d = dt.date(2012, 1, 1)
    with audit_context(source="system"):
        h = est(code="H01", name="Đảng bộ huyện Mường Lay", kind=K.DISTRICT)
        x1 = est(code="X01", name="Đảng bộ xã Nà Hỳ", kind=K.GRASSROOTS_COMMITTEE, parent=h, established_on=d, unit_kind="xa")
        c1 = est(code="C01", name="Chi bộ bản Nà Hỳ 1", kind=K.SUBORDINATE_CELL, parent=x1, established_on=d)
        c2 = est(code="C02", name="Chi bộ bản Nà Hỳ 2", kind=K.SUBORDINATE_CELL, parent=x1, established_on=d)
        x2 = est(code="X02", name="Chi bộ Trường THCS Nà Bủng", kind=K.GRASSROOTS_CELL, parent=h, established_on=d)
    return {"H01": h, "X01": x1, "C01": c1, "C02": c2, "X02": x2}


@pytest.fixture
def make_member(db):
    from dangvu.members.services import member_register

    counter = {"n": 0}

    def _make(cell, *, name="Nguyễn Văn An", admitted_on=dt.date(2015, 5, 19), made_official_on=None, **kw):
        counter["n"] += 1
        kw.setdefault("code", f"DV{counter['n']:05d}")
        kw.setdefault("birth_date", dt.date(1985, 3, 2))
        kw.setdefault("sex", "M")
        kw.setdefault("ethnicity", "Kinh")
        return member_register(full_name=name, admitted_on=admitted_on, cell=cell, made_official_on=made_official_on, **kw)

    return _make


@pytest.fixture
def make_user(db):
    from dangvu.accounts.services import user_create

    def _make(username, org, role="organizer", password="Mat-khau-an-toan-2026"):
        return user_create(username=username, organization=org, role=role, password=password)

    return _make


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a whole login: the password and, for the roles of the
    second factor (admins, organizers), a verified code (a recovery-code device marked in the
    session, made without audit entries). Tests of the second factor itself log in by the pages."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from auditlog.context import disable_auditlog
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_static.models import StaticDevice

        from dangvu.accounts.services import requires_two_factor

        if requires_two_factor(user):
            with disable_auditlog():
                device, _ = StaticDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
