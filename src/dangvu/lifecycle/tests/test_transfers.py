"""Transfers of party activities: official (inside and out of the database) and temporary, the
introduction letter's event, in transit until received, scope and the rules' limits."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvu.core.errors import DomainError
from dangvu.lifecycle import transfers, worklist
from dangvu.lifecycle.models import Transfer
from dangvu.members.models import MemberEventKind as E
from dangvu.members.models import MemberStatus
from dangvu.members.selectors import members_on
from dangvu.organizations.models import Organization
from dangvu.organizations.services import Decision

D = dt.date
TODAY = timezone.localdate()


def test_an_official_transfer_inside_the_database_moves_the_member_on_the_day_of_the_letter(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    t = transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), to_cell=tree["X02"], letter_number="15-GGT")
    assert t.event.kind == E.MOVED and t.event.cell_id == tree["X02"].pk and t.event.decision_number == "15-GGT"
    assert m in members_on(tree["X02"], D(2024, 3, 1)) and m not in members_on(tree["C01"], D(2024, 3, 1))
    assert t.report_by > D(2024, 3, 1) and t.received_on is None


def test_a_transfer_out_of_the_database_ends_the_membership_here(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    t = transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), destination="Đảng bộ xã Mường Phăng")
    m.refresh_from_db()
    assert t.event.kind == E.TRANSFERRED_OUT and m.status == MemberStatus.TRANSFERRED_OUT


def test_a_transfer_into_a_dissolved_chi_bo_is_refused_and_nothing_changes(tree, make_member):
    from dangvu.members.restructuring import organization_dissolve

    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    organization_dissolve(tree["C02"], effective_on=D(2023, 1, 1))
    with pytest.raises(DomainError) as exc:
        transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), to_cell=Organization.objects.get(code="C02"))
    assert exc.value.field == "to_cell"
    assert not Transfer.objects.exists() and m.events.count() == 2  # admitted, made official


def test_a_transfer_needs_exactly_one_destination(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    with pytest.raises(DomainError):
        transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1))
    with pytest.raises(DomainError):
        transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), to_cell=tree["X02"], destination="Nơi khác")


def test_a_temporary_transfer_keeps_the_member_counted_at_home_within_the_rules_limits(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    with pytest.raises(DomainError):  # under 3 months
        transfers.transfer_issue(m, kind="temporary", issued_on=D(2024, 3, 1), destination="Trường Chính trị", months=2)
    with pytest.raises(DomainError):  # a year or more for work
        transfers.transfer_issue(m, kind="temporary", issued_on=D(2024, 3, 1), destination="Công ty X", months=12)
    t = transfers.transfer_issue(m, kind="temporary", issued_on=D(2024, 3, 1), destination="Học viện Chính trị",
                                 purpose="training", months=18)
    assert t.event is None and t.until == D(2025, 9, 1)
    assert m in members_on(tree["C01"], D(2024, 6, 1))


def test_in_transit_until_received_then_gone_from_the_todo(tree, make_member, organizer):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    t = transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), to_cell=tree["X02"])
    assert [x.pk for x in transfers.transfers_in_transit(organizer, TODAY)] == [t.pk]
    with pytest.raises(DomainError):
        transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 5), to_cell=tree["C01"])
    with pytest.raises(DomainError):
        transfers.transfer_receive(t, received_on=D(2024, 2, 1))
    transfers.transfer_receive(t, received_on=D(2024, 3, 10))
    assert list(transfers.transfers_in_transit(organizer, TODAY)) == []
    assert worklist.worklist(organizer, TODAY)["transfers"] == []


def test_a_transfer_is_visible_to_both_sides_only(tree, make_member, make_user):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), to_cell=tree["X02"])
    assert transfers.transfers_visible_to(make_user("xanhan", tree["X02"])).count() == 1
    assert transfers.transfers_visible_to(make_user("xadi", tree["X01"])).count() == 1
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish

    other = organization_establish(code="H09", name="Đảng bộ huyện khác", kind=K.DISTRICT)
    assert transfers.transfers_visible_to(make_user("huyenkhac", other)).count() == 0


def test_transfer_through_the_web_and_the_api(client, tree, make_member, organizer):
    from rest_framework.test import APIClient

    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    client.force_login(organizer)
    r = client.post(f"/lifecycle/members/{m.code}/transfer/",
                    {"kind": "official", "issued_on": "01/03/2024", "to_cell": "NOPE"})
    assert r.status_code == 200 and "field-error" in r.content.decode()
    r = client.post(f"/lifecycle/members/{m.code}/transfer/",
                    {"kind": "official", "issued_on": "01/03/2024", "to_cell": "X02", "letter_number": "7-GGT"})
    assert r.status_code == 302
    t = Transfer.objects.get()
    assert m.full_name in client.get("/lifecycle/todo/").content.decode()  # in transit
    api = APIClient()
    api.force_authenticate(organizer)
    r = api.post(f"/api/lifecycle/transfers/{t.pk}/receive/", {"received_on": "2024-03-12"}, format="json")
    assert r.status_code == 200 and r.json()["received_on"] == "2024-03-12"


def test_a_member_transferred_out_comes_back_into_a_chi_bo_of_the_database(tree, make_member):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    with pytest.raises(DomainError):  # still here
        transfers.transfer_in(m, on=D(2024, 1, 1), to_cell=tree["C02"])
    transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), destination="Đảng bộ xã Mường Phăng")
    with pytest.raises(DomainError) as exc:  # a committee is not a chi bộ
        transfers.transfer_in(m, on=D(2025, 3, 1), to_cell=tree["X01"])
    assert exc.value.field == "to_cell" and m.events.count() == 3
    event = transfers.transfer_in(m, on=D(2025, 3, 1), to_cell=tree["C02"], decision=Decision(number="7-GGT"))
    m.refresh_from_db()
    assert event.kind == E.TRANSFERRED_IN and m.status == MemberStatus.OFFICIAL and m.cell == tree["C02"]
    assert m in members_on(tree["C02"], D(2025, 3, 1)) and m not in members_on(tree["C02"], D(2025, 2, 28))


def test_transfer_in_from_the_member_page(client, tree, make_member, organizer):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), destination="Tỉnh khác")
    client.force_login(organizer)
    url = reverse("lifecycle:member_action", args=[m.code, "transfer-in"])
    assert url in client.get(reverse("members:detail", args=[m.code])).content.decode()
    assert client.post(url, {"on": "01/03/2025", "to_cell": tree["C01"].pk}).status_code == 302
    m.refresh_from_db()
    assert m.status == MemberStatus.OFFICIAL


def test_transfer_in_offers_and_takes_only_cells_of_the_users_scope(client, tree, make_member, make_user):
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), destination="Tỉnh khác")
    commune = make_user("bantochuc_xa", tree["X01"], role="organizer")
    outside = [tree["X02"]]  # a grassroots cell beside X01
    client.force_login(commune)
    url = reverse("lifecycle:member_action", args=[m.code, "transfer-in"])
    page = client.get(url).content.decode()
    offered = page.split('id="id_to_cell_tree"')[1].split("</script>")[0]  # the picker's chi bộ
    assert '"code": "C01"' in offered and f'"code": "{outside[0].code}"' not in offered
    for value in (outside[0].pk, outside[0].code):  # by id (as before) or by code (the picker)
        r = client.post(url, {"on": "01/03/2025", "to_cell": value})
        assert r.status_code == 200 and "to_cell" in r.context["form"].errors
    m.refresh_from_db()
    assert m.status == MemberStatus.TRANSFERRED_OUT


def test_only_the_receiving_side_records_the_receipt_on_the_web_and_in_the_api(tree, make_member, make_user, client):
    """The sending chi bộ's secretary sees the transfer in transit but may not confirm its receipt (403 with
    the reason, no receipt button); the receiving chi bộ's secretary may; for a transfer out of the
    database, the sending side records it (the confirmation comes back to it)."""
    from rest_framework.test import APIClient

    sender, receiver = make_user("bithu_c01", tree["C01"], "secretary"), make_user("bithu_x02", tree["X02"], "secretary")
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    t = transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), to_cell=tree["X02"])
    url = reverse("lifecycle:transfer_receive", args=[t.pk])
    client.force_login(sender)
    assert m.full_name in client.get("/lifecycle/todo/transfers/").content.decode()  # seen in transit...
    assert url not in client.get("/lifecycle/todo/transfers/").content.decode()  # ...without the button
    r = client.post(url, {"received_on": "12/03/2024"})
    assert r.status_code == 403 and "Chi bộ Trường THCS Nà Bủng" in r.content.decode()
    api = APIClient()
    api.force_authenticate(sender)
    r = api.post(f"/api/lifecycle/transfers/{t.pk}/receive/", {"received_on": "2024-03-12"}, format="json")
    assert r.status_code == 403
    t.refresh_from_db()
    assert t.received_on is None
    client.force_login(receiver)
    assert url in client.get("/lifecycle/todo/transfers/").content.decode()
    assert client.post(url, {"received_on": "12/03/2024"}).status_code == 302
    t.refresh_from_db()
    assert t.received_on == D(2024, 3, 12)

    out = transfers.transfer_issue(make_member(tree["C01"], made_official_on=D(2016, 5, 19)), kind="official",
                                   issued_on=D(2024, 3, 1), destination="Đảng bộ xã Mường Phăng")
    assert transfers.receiving_side(out) == tree["C01"]
    api.force_authenticate(receiver)
    assert api.post(f"/api/lifecycle/transfers/{out.pk}/receive/", {"received_on": "2024-03-12"},
                    format="json").status_code == 404  # not in the receiver's scope at all
    api.force_authenticate(sender)
    assert api.post(f"/api/lifecycle/transfers/{out.pk}/receive/", {"received_on": "2024-03-12"},
                    format="json").status_code == 200


def test_a_transfer_out_is_no_longer_in_transit_once_the_member_is_transferred_back_in(tree, make_member, organizer):
    """Out of the database, then back in: the old letter no longer waits for a receipt on the to-do list."""
    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19))
    transfers.transfer_issue(m, kind="official", issued_on=D(2024, 3, 1), destination="Chi bộ Công ty Điện lực Lai Châu")
    assert len(transfers.transfers_in_transit(organizer, TODAY)) == 1
    m.refresh_from_db()
    transfers.transfer_in(m, on=D(2024, 9, 1), to_cell=tree["C02"])
    assert list(transfers.transfers_in_transit(organizer, TODAY)) == []
