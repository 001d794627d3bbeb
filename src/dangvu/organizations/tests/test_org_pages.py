"""Organization pages that need member data: tree with counts, dissolve, merge, split."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.members.models import Member, MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.restructuring import organization_dissolve
from dangvu.members.selectors_org import tree_with_counts
from dangvu.organizations.models import Organization, OrganizationEvent, OrganizationPeriod
from dangvu.organizations.models import OrganizationEventKind as K
from dangvu.organizations.models import OrganizationKind as OK
from dangvu.organizations.services import organization_establish

D = dt.date


@pytest.fixture
def organizer(tree, make_user, client):
    user = make_user("bantochuc", tree["H01"], "organizer")
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _whole_tree(monkeypatch):
    """These tests read the counts of every level of the small tree: show it whole (test_on_demand tests
    the levels shown)."""
    from dangvu.organizations.views import tree as tree_page

    monkeypatch.setattr(tree_page, "TREE_LEVELS_SHOWN", 9)


def _rows(response):
    return {r["code"]: r for t in response.context["trees"] for r in t["rows"]}


def test_tree_of_a_past_day_shows_an_org_dissolved_later_and_hides_one_established_later(tree, organizer, client):
    organization_dissolve(tree["C02"], effective_on=D(2019, 1, 1))
    organization_establish(code="C03", name="Chi bộ bản Nà Hỳ 3", kind=OK.SUBORDINATE_CELL, parent=tree["X01"],
                           established_on=D(2020, 1, 1))
    past = client.get("/organizations/?as_of=01/06/2018")
    assert past.status_code == 200
    assert set(_rows(past)) == {"H01", "X01", "C01", "C02", "X02"}
    html = past.content.decode()
    assert "Chi bộ bản Nà Hỳ 2" in html and "Chi bộ bản Nà Hỳ 3" not in html
    now = client.get("/organizations/")
    assert set(_rows(now)) == {"H01", "X01", "C01", "C03", "X02"}
    assert "Chi bộ bản Nà Hỳ 2" not in now.content.decode()


def test_tree_counts_members_per_organization_and_subtree_on_the_day(tree, organizer, client, make_member):
    official = {"made_official_on": D(2016, 5, 19)}
    make_member(tree["C01"], **official)
    make_member(tree["C01"], **official)
    make_member(tree["C01"], admitted_on=D(2024, 3, 1))  # probationary
    mover = make_member(tree["C02"], **official)
    for _ in range(3):
        make_member(tree["X02"], **official)
    from dangvu.members.services import member_record_event

    member_record_event(mover, kind=E.MOVED, effective_on=D(2025, 1, 1), cell=tree["C01"])

    rows = _rows(client.get("/organizations/?as_of=31/12/2024"))
    counts = {c: (r["total"], r["official"], r["probationary"]) for c, r in rows.items()}
    assert counts == {"H01": (7, 6, 1), "X01": (4, 3, 1), "C01": (3, 2, 1), "C02": (1, 1, 0), "X02": (3, 3, 0)}
    rows = _rows(client.get("/organizations/?as_of=2025-01-01"))
    assert (rows["C01"]["total"], rows["C02"]["total"], rows["X01"]["total"]) == (4, 0, 4)
    before_2024 = _rows(client.get("/organizations/?as_of=01/01/2024"))
    assert before_2024["C01"]["probationary"] == 0 and before_2024["H01"]["total"] == 6


def test_tree_warns_about_cells_below_three_official_members(tree, organizer, client, make_member):
    for _ in range(3):
        make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    r = client.get("/organizations/?as_of=01/01/2020")
    rows = _rows(r)
    assert not rows["C01"]["below_minimum"] and rows["C02"]["below_minimum"] and rows["X02"]["below_minimum"]
    assert not rows["X01"]["below_minimum"]  # a committee is not a cell
    assert {w["code"] for w in r.context["warnings"]} == {"C02", "X02"}
    assert r.status_code == 200  # a warning, not an error


def test_tree_query_count_does_not_grow_with_the_number_of_organizations(tree, organizer, client, make_member):
    def add_cells(start, n):
        for i in range(start, start + n):
            cell = organization_establish(code=f"CX{i:03d}", name=f"Chi bộ {i}", kind=OK.SUBORDINATE_CELL,
                                          parent=tree["X01"], established_on=D(2012, 1, 1))
            make_member(cell, made_official_on=D(2016, 5, 19))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/organizations/?as_of=01/01/2020").status_code == 200
        return len(ctx.captured_queries)

    add_cells(0, 2)
    client.get("/organizations/")  # warm caches (content types, session)
    small = count()
    add_cells(2, 25)
    large = count()
    assert large == small
    assert _rows(client.get("/organizations/?as_of=01/01/2020"))["X01"]["total"] == 27


def test_tree_with_two_scope_roots_shows_a_nested_root_once(tree, make_member):
    trees = tree_with_counts([tree["H01"].pk, tree["X01"].pk], D(2020, 1, 1))
    assert [t["root_id"] for t in trees] == [tree["H01"].pk]
    trees = tree_with_counts([tree["X01"].pk, tree["X02"].pk], D(2020, 1, 1))
    assert [len(t["rows"]) for t in trees] == [3, 1]


def test_dissolve_with_members_is_refused_with_a_clear_message_and_changes_nothing(tree, organizer, client,
                                                                                    make_member):
    for _ in range(2):
        make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    periods = list(OrganizationPeriod.objects.values_list("organization_id", "valid_from", "valid_to"))
    r = client.post("/organizations/C01/dissolve/", {"effective_on": "01/07/2025", "decision_number": "9-QĐ/ĐU"})
    assert r.status_code == 400
    message = r.context["form"].errors["effective_on"][0]
    assert "2" in message and "01/07/2025" in message and "Chi bộ bản Nà Hỳ 1" in message
    assert r.context["refusal"] == message
    html = r.content.decode()
    assert message in html and "/organizations/C01/merge/" in html
    tree["C01"].refresh_from_db()
    assert tree["C01"].dissolved_on is None
    assert not OrganizationEvent.objects.filter(kind=K.DISSOLVED).exists()
    assert list(OrganizationPeriod.objects.values_list("organization_id", "valid_from", "valid_to")) == periods
    assert Member.objects.filter(cell=tree["C01"]).count() == 2


def test_dissolve_of_an_empty_cell_via_form(tree, organizer, client):
    r = client.post("/organizations/C02/dissolve/", {"effective_on": "01/07/2025"})
    assert r.status_code == 302
    tree["C02"].refresh_from_db()
    assert tree["C02"].dissolved_on == D(2025, 7, 1)


def test_merge_moves_members_and_closes_the_sources(tree, organizer, client, make_member):
    movers = [make_member(tree["C02"], made_official_on=D(2016, 5, 19)) for _ in range(2)]
    stayer = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    r = client.post("/organizations/C02/merge/", {
        "sources": [tree["C02"].pk], "target": tree["C01"].pk, "effective_on": "01/07/2025",
        "decision_number": "120-QĐ/ĐU", "issued_by": "Đảng ủy xã Nà Hỳ",
    })
    assert r.status_code == 302 and r["Location"] == "/organizations/C01/"
    moves = MemberEvent.objects.filter(kind=E.MOVED)
    assert sorted(moves.values_list("member_id", flat=True)) == sorted(m.pk for m in movers)
    assert {(e.cell_id, e.effective_on, e.decision_number) for e in moves} == {
        (tree["C01"].pk, D(2025, 7, 1), "120-QĐ/ĐU")}
    assert Member.objects.filter(cell=tree["C01"]).count() == 3
    assert not MemberEvent.objects.filter(member=stayer, kind=E.MOVED).exists()
    tree["C02"].refresh_from_db()
    assert tree["C02"].dissolved_on == D(2025, 7, 1)
    ev = OrganizationEvent.objects.get(organization=tree["C02"], kind=K.MERGED)
    assert ev.payload["into_id"] == tree["C01"].pk
    history = client.get("/organizations/C01/?tab=history").content.decode()
    assert "Chi bộ bản Nà Hỳ 2" in history


def test_merge_into_itself_is_refused_on_the_form(tree, organizer, client):
    r = client.post("/organizations/C02/merge/", {
        "sources": [tree["C02"].pk], "target": tree["C02"].pk, "effective_on": "01/07/2025"})
    assert r.status_code == 400 and "target" in r.context["form"].errors
    tree["C02"].refresh_from_db()
    assert tree["C02"].dissolved_on is None


def test_merge_of_a_cell_into_a_committee_is_refused_and_changes_nothing(tree, organizer, client, make_member):
    make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    r = client.post("/organizations/C02/merge/", {
        "sources": [tree["C02"].pk], "target": tree["X01"].pk, "effective_on": "01/07/2025"})
    assert r.status_code == 400 and r.context["form"].errors["target"]
    assert not MemberEvent.objects.filter(kind=E.MOVED).exists()
    tree["C02"].refresh_from_db()
    assert tree["C02"].dissolved_on is None


def _picker_rows(html: str, name: str) -> list[dict]:
    import json
    import re

    return json.loads(re.search(rf'<script id="id_{name}_tree" type="application/json">(.*?)</script>', html).group(1))


def test_the_merge_form_finds_the_target_by_name_ticks_the_ending_ones_and_offers_nothing_outside_scope(
        tree, organizer, client, make_member):
    """The target is the organization picker (typing part of a name) over the cells in scope, the
    committees above them shown for the tree's shape only; the organizations that end are check boxes
    (no Ctrl-click), this one ticked; a cell of another district is offered by neither. The target is
    posted as its code."""
    other = organization_establish(code="H09", name="Đảng bộ huyện Khác", kind=OK.DISTRICT)
    organization_establish(code="C99", name="Chi bộ bản Khác", kind=OK.GRASSROOTS_CELL, parent=other,
                           established_on=D(2012, 1, 1))
    html = client.get("/organizations/C02/merge/").content.decode()
    assert 'class="org-picker" data-tree="id_target_tree"' in html
    rows = _picker_rows(html, "target")
    assert {r["code"] for r in rows if r["pick"]} == {"C01", "C02", "X02"}
    assert {r["code"] for r in rows if not r["pick"]} == {"H01", "X01"}
    assert 'type="checkbox" name="sources"' in html and "<select" not in html.split('name="sources"')[0][-300:]
    first_box = html.split('name="sources"')[1].split(">")[0]  # this organization, ticked, comes first
    assert f'value="{tree["C02"].pk}"' in first_box and "checked" in first_box
    assert "C99" not in html and "H09" not in html
    mover = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    r = client.post("/organizations/C02/merge/", {
        "sources": [tree["C02"].pk], "target": "C01", "effective_on": "01/07/2025"})
    assert r.status_code == 302 and r["Location"] == "/organizations/C01/"
    assert Member.objects.get(pk=mover.pk).cell == tree["C01"]
    r = client.post("/organizations/C01/merge/", {
        "sources": [tree["C01"].pk], "target": "C99", "effective_on": "01/08/2025"})
    assert r.status_code == 400 and r.context["form"].errors["target"]


def test_the_move_form_finds_the_new_parent_by_name_and_takes_its_code(tree, organizer, client):
    h2 = organization_establish(code="H02", name="Đảng ủy khối cơ quan", kind=OK.DISTRICT, parent=tree["H01"])
    html = client.get("/organizations/X02/move/").content.decode()
    assert 'class="org-picker" data-tree="id_parent_tree"' in html
    assert {r["code"] for r in _picker_rows(html, "parent") if r["pick"]} == {"H01", "X01", "H02"}
    r = client.post("/organizations/X02/move/", {"parent": "H02", "effective_on": "01/07/2025"})
    assert r.status_code == 302
    assert OrganizationPeriod.objects.get(organization=tree["X02"], valid_to__isnull=True).parent == h2


def test_split_sends_each_member_to_the_chosen_cell(tree, organizer, client, make_member):
    c3 = organization_establish(code="C03", name="Chi bộ bản Nà Hỳ 3", kind=OK.SUBORDINATE_CELL,
                                parent=tree["X01"], established_on=D(2012, 1, 1))
    a = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    b = make_member(tree["C02"], made_official_on=D(2016, 5, 19))
    page = client.get("/organizations/C02/split/?effective_on=01/07/2025")
    assert page.status_code == 200 and f'name="member_{a.pk}"' in page.content.decode()
    incomplete = client.post("/organizations/C02/split/", {"effective_on": "01/07/2025", f"member_{a.pk}": tree["C01"].pk})
    assert incomplete.status_code == 400 and f"member_{b.pk}" in incomplete.context["form"].errors
    r = client.post("/organizations/C02/split/", {
        "effective_on": "01/07/2025", f"member_{a.pk}": tree["C01"].pk, f"member_{b.pk}": c3.pk})
    assert r.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.cell, b.cell) == (tree["C01"], c3)
    tree["C02"].refresh_from_db()
    assert tree["C02"].dissolved_on == D(2025, 7, 1)
    assert OrganizationEvent.objects.filter(organization=tree["C02"], kind=K.SPLIT).exists()


def test_members_tab_lists_current_members_of_the_subtree(tree, organizer, client, make_member):
    make_member(tree["C01"], name="Lò Văn Bình", made_official_on=D(2016, 5, 19))
    make_member(tree["X02"], name="Quàng Thị Hoa")
    r = client.get("/organizations/X01/?tab=members")
    html = r.content.decode()
    assert "Lò Văn Bình" in html and "Quàng Thị Hoa" not in html
    assert "/members/?org=X01" in html
    assert r.context["member_total"] == 1


def test_detail_for_a_past_day_shows_children_of_that_day(tree, organizer, client):
    organization_dissolve(tree["C02"], effective_on=D(2019, 1, 1))
    past = client.get("/organizations/X01/?as_of=01/01/2018")
    assert [c["code"] for c in past.context["children"]] == ["C01", "C02"]
    now = client.get("/organizations/X01/")
    assert [c["code"] for c in now.context["children"]] == ["C01"]
    before = client.get("/organizations/X01/?as_of=01/01/2000")
    assert not before.context["exists"]
    assert Organization.objects.get(code="C02").dissolved_on == D(2019, 1, 1)


def test_tree_shows_the_first_level_a_page_at_a_time_and_htmx_appends_the_rest(tree, organizer, client, monkeypatch,
                                                                               make_member):
    """A province has over a thousand organizations directly under it: the page lists the first ones, a
    "Show more" row brings as many again (the rows alone for htmx, the longer page without script), and
    the weak cells are named up to a bound, the rest counted."""
    from dangvu.organizations.views import tree as tree_page

    monkeypatch.setattr(tree_page, "TREE_LEVELS_SHOWN", 1)
    monkeypatch.setattr(tree_page, "TREE_CHILDREN_SHOWN", 2)
    monkeypatch.setattr(tree_page, "TREE_WARNINGS_SHOWN", 2)
    for i in range(3):  # H01 has X01, X02 and these: 5 organizations of the first level, by code
        organization_establish(code=f"X1{i}", name=f"Chi bộ cơ quan {i}", kind=OK.GRASSROOTS_CELL, parent=tree["H01"],
                               established_on=D(2012, 1, 1))
    first = client.get("/organizations/")
    assert [r["code"] for r in first.context["trees"][0]["rows"]] == ["H01", "X01", "X02"]
    html = first.content.decode()
    assert "X10" not in html and 'href="?shown=4"' in html and 'hx-get="?shown=4&amp;from=2&amp;root=H01"' in html
    assert first.context["trees"][0]["organizations"] == 8 and first.context["trees"][0]["summary"]["code"] == "H01"
    assert len(first.context["warnings"]) == 6 and len(first.context["warnings_listed"]) == 2  # every cell
    assert first.context["warnings_more"] == 4 and "… và 4 chi bộ khác." in html
    more = client.get("/organizations/", {"shown": 4, "from": 2, "root": "H01"}, headers={"HX-Request": "true"})
    rows = more.content.decode()
    assert "<table" not in rows and 'data-depth="1"' in rows
    assert "X10" in rows and "X11" in rows and "X12" not in rows and "X02" not in rows
    assert 'hx-get="?shown=6&amp;from=4&amp;root=H01"' in rows
    last = client.get("/organizations/", {"shown": 6, "from": 4, "root": "H01"}, headers={"HX-Request": "true"})
    assert "X12" in last.content.decode() and "hx-get" not in last.content.decode() and "X11" not in last.content.decode()
    whole = client.get("/organizations/", {"shown": 4})  # without script: the longer page
    assert [r["code"] for r in whole.context["trees"][0]["rows"]] == ["H01", "X01", "X02", "X10", "X11"]
    assert client.get("/organizations/", {"shown": "many"}).status_code == 200


def test_history_names_the_code_of_the_organization_the_event_changed_beside_it_not_after_another(
        tree, organizer, client):
    """On the committee's history, "Chi bộ bản Nà Hỳ 2 merged into Chi bộ bản Nà Hỳ 1" carries the code of
    the one merged (C02) before the sentence, where it cannot be read as the code of the target named last."""
    r = client.post("/organizations/C02/merge/", {
        "sources": [tree["C02"].pk], "target": tree["C01"].pk, "effective_on": "01/07/2025"})
    assert r.status_code == 302
    html = client.get("/organizations/X01/?tab=history").content.decode()
    row = next(tr for tr in html.split("<tr>") if "Chi bộ bản Nà Hỳ 2 sáp nhập vào Chi bộ bản Nà Hỳ 1" in tr)
    link = 'href="/organizations/C02/">C02</a>'
    assert link in row
    assert row.index(link) < row.index("Chi bộ bản Nà Hỳ 2 sáp nhập vào"), row
