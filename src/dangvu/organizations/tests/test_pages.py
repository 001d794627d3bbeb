"""Organization pages that need only the organization tree: forms, scope, permissions, history.

The pages that need member data are tested in test_org_pages."""

import datetime as dt

import pytest

from dangvu.organizations.forms import DateTextField, EstablishForm
from dangvu.organizations.models import Organization, OrganizationEvent, OrganizationPeriod
from dangvu.organizations.models import OrganizationEventKind as K
from dangvu.organizations.models import OrganizationKind as OK
from dangvu.organizations.services import organization_establish, organization_rename
from dangvu.organizations.views.detail import admin_unit_name
from dangvu.organizations.views.history import history_rows

D = dt.date


@pytest.fixture
def organizer(tree, make_user, client):
    user = make_user("bantochuc", tree["H01"], "organizer")
    client.force_login(user)
    return user


def test_date_field_reads_vietnamese_and_iso_dates_and_rejects_others():
    f = DateTextField()
    assert f.clean("01/07/2025") == D(2025, 7, 1)
    assert f.clean("2025-07-01") == D(2025, 7, 1)
    with pytest.raises(Exception) as exc:
        f.clean("31/02/2025")
    assert "31/02/2025" in str(exc.value)


def test_establish_form_offers_only_kinds_allowed_under_the_parent():
    kinds = {k for k, _label in EstablishForm(parent_kind=OK.GRASSROOTS_COMMITTEE).fields["kind"].choices}
    assert kinds == {OK.PARTIAL_COMMITTEE, OK.SUBORDINATE_CELL}


def test_admin_unit_names_come_from_the_official_list():
    assert admin_unit_name("01") == "Thành phố Hà Nội"
    assert admin_unit_name("00070").startswith("Phường Hoàn Kiếm")
    assert admin_unit_name("99999") == ""


def test_detail_outside_scope_is_404(tree, make_user, client):
    client.force_login(make_user("bithu", tree["X02"], "secretary"))
    assert client.get("/organizations/X02/").status_code == 200
    assert client.get("/organizations/X01/").status_code == 404
    assert client.get("/organizations/C01/rename/").status_code == 404
    assert client.post("/organizations/C01/rename/", {"name": "X", "effective_on": "01/01/2024"}).status_code == 404
    assert client.get("/organizations/NOPE/").status_code == 404


def test_rename_via_form_creates_an_event_and_the_tree_keeps_the_old_name_for_a_past_day(tree, organizer, client):
    r = client.post("/organizations/C01/rename/", {
        "name": "Chi bộ bản Nà Hỳ Một", "effective_on": "01/01/2024", "decision_number": "15-QĐ/HU",
        "decision_date": "20/12/2023", "issued_by": "Huyện ủy Mường Lay",
    })
    assert r.status_code == 302 and r["Location"] == "/organizations/C01/"
    ev = OrganizationEvent.objects.get(organization=tree["C01"], kind=K.RENAMED)
    assert (ev.effective_on, ev.decision_number, ev.decision_date) == (D(2024, 1, 1), "15-QĐ/HU", D(2023, 12, 20))
    assert ev.recorded_by == organizer
    past = client.get("/organizations/?as_of=31/12/2023").content.decode()
    assert "Chi bộ bản Nà Hỳ 1" in past and "Chi bộ bản Nà Hỳ Một" not in past
    now = client.get("/organizations/?as_of=2024-01-01").content.decode()
    assert "Chi bộ bản Nà Hỳ Một" in now and "Chi bộ bản Nà Hỳ 1<" not in now
    history = client.get("/organizations/C01/?tab=history").content.decode()
    assert "Chi bộ bản Nà Hỳ 1 → Chi bộ bản Nà Hỳ Một" in history and "15-QĐ/HU" in history


def test_refused_rename_shows_the_reason_on_the_field_and_changes_nothing(tree, organizer, client):
    r = client.post("/organizations/C01/rename/", {"name": "Chi bộ mới", "effective_on": "01/01/2000"})
    assert r.status_code == 400
    form = r.context["form"]
    assert "01/01/2000" in form.errors["effective_on"][0]
    assert not OrganizationEvent.objects.filter(kind=K.RENAMED).exists()


def test_bad_date_is_a_field_error_not_a_500(tree, organizer, client):
    r = client.post("/organizations/C01/rename/", {"name": "Chi bộ mới", "effective_on": "32/13/2024"})
    assert r.status_code == 400 and "effective_on" in r.context["form"].errors
    assert client.get("/organizations/?as_of=hôm-qua").status_code == 200


def test_viewer_gets_403_on_every_form_and_nothing_changes(tree, make_user, client):
    client.force_login(make_user("xem", tree["H01"], "viewer"))
    before = OrganizationEvent.objects.count()
    for action in ("establish", "rename", "move", "kind", "dissolve", "merge", "split"):
        assert client.get(f"/organizations/X01/{action}/").status_code == 403, action
        assert client.post(f"/organizations/X01/{action}/", {"name": "X", "effective_on": "01/01/2024"}).status_code == 403
    assert OrganizationEvent.objects.count() == before
    page = client.get("/organizations/X01/").content.decode()
    assert "/organizations/X01/rename/" not in page


def test_establish_child_via_form(tree, organizer, client):
    r = client.post("/organizations/X01/establish/", {
        "code": "C03", "name": "Chi bộ bản Nà Hỳ 3", "kind": OK.SUBORDINATE_CELL, "unit_kind": "thon_ban",
        "admin_unit_code": "", "established_on": "15/03/2025",
    })
    assert r.status_code == 302 and r["Location"] == "/organizations/C03/"
    c3 = Organization.objects.get(code="C03")
    assert c3.parent == tree["X01"] and c3.established_on == D(2025, 3, 15)


def test_establish_with_a_taken_code_shows_the_error_on_the_code(tree, organizer, client):
    r = client.post("/organizations/X01/establish/", {
        "code": "C01", "name": "Chi bộ trùng mã", "kind": OK.SUBORDINATE_CELL, "established_on": "15/03/2025",
    })
    assert r.status_code == 400 and "C01" in r.context["form"].errors["code"][0]


def test_move_and_change_kind_via_forms(tree, organizer, client):
    h2 = organization_establish(code="H02", name="Đảng ủy khối cơ quan", kind=OK.DISTRICT, parent=tree["H01"])
    r = client.post("/organizations/X02/move/", {"parent": h2.pk, "effective_on": "01/07/2025"})
    assert r.status_code == 302
    assert OrganizationPeriod.objects.get(organization=tree["X02"], valid_to__isnull=True).parent == h2
    r = client.post("/organizations/X02/kind/", {"kind": OK.GRASSROOTS_COMMITTEE, "effective_on": "01/08/2025"})
    assert r.status_code == 302
    tree["X02"].refresh_from_db()
    assert tree["X02"].kind == OK.GRASSROOTS_COMMITTEE


def test_the_change_kind_page_says_the_size_of_a_grassroots_committee_from_the_rules(tree, organizer, client,
                                                                                  monkeypatch):
    import dataclasses

    from dangvu import regulations as R

    assert "có từ 30 đảng viên trở lên" in client.get("/organizations/X02/kind/").content.decode()
    original = R.rules_on
    monkeypatch.setattr(R, "rules_on", lambda day, *a, **kw: dataclasses.replace(
        original(day, *a, **kw), grassroots_committee_min_members=25))
    page = client.get("/organizations/X02/kind/").content.decode()
    assert "có từ 25 đảng viên trở lên" in page and "dưới 25 đảng viên" in page


def test_history_tells_events_in_words_seen_from_the_page(tree):
    organization_rename(tree["C01"], name="Chi bộ bản Mới", effective_on=D(2020, 1, 1))
    texts = [r["text"] for r in history_rows(tree["C01"])]
    assert any("Chi bộ bản Nà Hỳ 1 → Chi bộ bản Mới" in t for t in texts)
    x1_texts = [r["text"] for r in history_rows(tree["X01"])]
    assert any("Chi bộ bản Nà Hỳ 1" in t or "Chi bộ bản Mới" in t for t in x1_texts)  # child established under it


def test_detail_shows_header_and_every_tab(tree, organizer, client):
    tree["X01"].admin_unit_code = "00070"
    tree["X01"].save()
    for tab in ("children", "members", "history", "audit"):
        r = client.get(f"/organizations/X01/?tab={tab}")
        assert r.status_code == 200, tab
        assert "Phường Hoàn Kiếm" in r.content.decode()
    audit = client.get("/organizations/X01/?tab=audit").content.decode()
    assert "Đảng bộ xã Nà Hỳ" in audit and "00070" in audit
    assert "role_assignments" not in audit and "name_folded" not in audit  # only real fields of the record


def test_organizations_pages_are_served_by_the_organizations_app():
    from django.urls import resolve, reverse

    assert reverse("organizations:tree") == "/organizations/"
    assert reverse("organizations:detail", args=["X01"]) == "/organizations/X01/"
    assert resolve("/organizations/X01/").func.__module__ == "dangvu.organizations.views.detail"
    assert resolve("/organizations/X01/merge/").func.__module__ == "dangvu.organizations.views_actions"


def test_detail_loads_the_snapshot_panel_for_the_chosen_day(tree, organizer, client):
    html = client.get("/organizations/X01/?as_of=31/12/2024").content.decode()
    assert 'hx-get="/reports/snapshot/?org=X01&amp;as_of=2024-12-31&amp;partial=1"' in html
