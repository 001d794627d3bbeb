"""The rating sheet of a chi bộ: all proposals in one write, refused as a whole with the reason of each
row; decisions refused row by row; the pages (scope, role, refusals shown on their rows, without JS)
and the progress of a year."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from dangvu.assessment import selectors
from dangvu.assessment.models import AssessmentStep, Rating, StepKind
from dangvu.assessment.services import (
    Proposal,
    RatingDecision,
    RowRefusals,
    cell_reviews_record,
    ratings_decide,
)
from dangvu.core.audit import audit_context
from dangvu.members.services import member_record_event

D = dt.date
VOTE = {"comment": "Chi bộ thống nhất", "votes_due": 6, "votes_present": 6}


def _propose(cycle, cell, pairs, votes_for=6, **kw):
    return cell_reviews_record(cycle=cycle, cell=cell, effective_on=D(2024, 12, 1),
                               proposals=[Proposal(member=m, key=k, votes_for=votes_for) for m, k in pairs],
                               **{**VOTE, **kw})


def test_a_cell_proposes_for_all_its_members_in_one_write(tree, rated):
    cycle, members = rated["cycles"][("X01", 2024)], rated["members"][:6]
    with audit_context(source="web"):
        steps = _propose(cycle, tree["C01"], [(m, "good") for m in members[:5]] + [(members[5], "HTXSNV")])
    assert [s.key for s in steps] == ["good"] * 5 + ["excellent"]
    assert all(s.kind == StepKind.CELL_REVIEW and s.organization == tree["C01"] and s.votes_for == 6 for s in steps)
    assert LogEntry.objects.filter(object_id__in=[s.pk for s in steps],
                                   content_type__model="assessmentstep").count() == 6
    sheet = selectors.cell_sheet(cycle, tree["C01"], D(2024, 12, 2))
    assert [r.proposed_key for r in sheet.rows] == [s.key for s in sorted(steps, key=lambda s: s.member.sort_key)]


def test_saving_the_same_proposals_again_records_only_what_changed(tree, rated):
    cycle, members = rated["cycles"][("X01", 2024)], rated["members"][:3]
    _propose(cycle, tree["C01"], [(m, "good") for m in members])
    again = _propose(cycle, tree["C01"], [(members[0], "good"), (members[1], "excellent"), (members[2], "good")])
    assert [(s.member, s.key) for s in again] == [(members[1], "excellent")]
    assert AssessmentStep.objects.filter(cycle=cycle, kind=StepKind.CELL_REVIEW).count() == 4
    recounted = _propose(cycle, tree["C01"], [(members[0], "good")], votes_present=5, votes_for=5)
    assert [s.member for s in recounted] == [members[0]]  # a new vote is a new review


def test_each_member_has_the_cells_own_vote_on_their_proposal(tree, rated):
    cycle, members = rated["cycles"][("X01", 2024)], rated["members"][:3]
    with audit_context(source="web"):
        steps = cell_reviews_record(cycle=cycle, cell=tree["C01"], effective_on=D(2024, 12, 1), proposals=[
            Proposal(member=members[0], key="good", votes_for=5), Proposal(member=members[1], key="excellent", votes_for=4),
            Proposal(member=members[2], key="good", votes_for=5)], comment="Thống nhất", votes_due=6, votes_present=5)
    assert [(s.member, s.votes_due, s.votes_present, s.votes_for) for s in steps] == [
        (members[0], 6, 5, 5), (members[1], 6, 5, 4), (members[2], 6, 5, 5)]
    sheet = selectors.cell_sheet(cycle, tree["C01"], D(2024, 12, 2))
    row = next(r for r in sheet.rows if r.member == members[1])
    assert (row.proposed_votes_for, row.proposed_votes_present) == (4, 5)
    again = cell_reviews_record(cycle=cycle, cell=tree["C01"], effective_on=D(2024, 12, 1), proposals=[
        Proposal(member=members[0], key="good", votes_for=5), Proposal(member=members[1], key="excellent", votes_for=5),
        Proposal(member=members[2], key="good", votes_for=5)], comment="Thống nhất", votes_due=6, votes_present=5)
    assert [(s.member, s.votes_for) for s in again] == [(members[1], 5)]  # only the vote that changed


def test_a_wrong_vote_on_a_row_refuses_the_sheet_on_that_row(tree, rated):
    cycle, members = rated["cycles"][("X01", 2024)], rated["members"][:5]
    before = AssessmentStep.objects.count()
    with pytest.raises(RowRefusals) as exc:
        cell_reviews_record(cycle=cycle, cell=tree["C01"], effective_on=D(2024, 12, 1), proposals=[
            Proposal(member=members[0], key="good", votes_for=5),
            Proposal(member=members[1], key="good", votes_for=6),  # more than the 5 present
            Proposal(member=members[2], key="good", votes_for=3),  # 3 of 6 due: not more than half
            Proposal(member=members[3], key="good"),  # no vote given
            Proposal(member=members[4], key="best", votes_for=-1)], comment="Thống nhất", votes_due=6, votes_present=5)
    rows = exc.value.rows
    assert set(rows) == {1, 2, 3, 4} and not exc.value.general
    assert [e.field for e in rows[1]] == ["votes_for"] and "(6)" in rows[1][0].message
    assert rows[2][0].code == "assessment.proposal_without_majority" and rows[2][0].field == "votes_for"
    assert "50%" in rows[2][0].message and "4" in rows[2][0].message
    assert [e.field for e in rows[3]] == ["votes_for"]
    assert [e.field for e in rows[4]] == ["key", "votes_for"]  # the rating's refusal and the vote's
    body = exc.value.as_api("proposals")
    assert set(body["proposals"]) == {"1", "2", "3", "4"} and "votes_for" in body["proposals"]["2"]
    assert AssessmentStep.objects.count() == before  # nothing written
    # four of six carry it (more than half), whoever was absent
    steps = cell_reviews_record(cycle=cycle, cell=tree["C01"], effective_on=D(2024, 12, 1), proposals=[
        Proposal(member=members[2], key="good", votes_for=4)], comment="Thống nhất", votes_due=6, votes_present=4)
    assert [s.votes_for for s in steps] == [4]


def test_the_proposals_are_refused_as_a_whole_with_each_rows_reason(tree, rated):
    cycle, members = rated["cycles"][("X01", 2024)], rated["members"]
    member_record_event(members[1], kind="exempted", effective_on=D(2024, 3, 1))
    before = AssessmentStep.objects.count()
    with pytest.raises(RowRefusals) as exc:
        _propose(cycle, tree["C01"], [(members[0], "good"), (members[1], "good"), (members[6], "good"),
                                      (members[2], "best"), (members[3], "good")], votes_present=7)
    rows = exc.value.rows
    assert set(rows) == {1, 2, 3}  # exempted, of another chi bộ, not a level; rows 0 and 4 are fine
    assert rows[1][0].code == "assessment.not_rated_exempted"
    assert "Nà Hỳ 1" in rows[2][0].message and rows[3][0].field == "key"
    assert [e.field for e in exc.value.general] == ["votes_present"]
    assert AssessmentStep.objects.count() == before  # nothing written


def test_points_give_the_level_and_cap_it(tree, rated):
    cycle, members = rated["cycles"][("X01", 2025)], rated["members"]
    steps = cell_reviews_record(cycle=cycle, cell=tree["C01"], effective_on=D(2025, 12, 1), proposals=[
        Proposal(member=members[0], points="91", votes_for=6), Proposal(member=members[1], points=72, votes_for=5)],
        **VOTE)
    assert [s.key for s in steps] == ["excellent", "good"]
    with pytest.raises(RowRefusals) as exc:
        cell_reviews_record(cycle=cycle, cell=tree["C01"], effective_on=D(2025, 12, 1), proposals=[
            Proposal(member=members[0], points=75, key="excellent", votes_for=6)], **VOTE)
    assert exc.value.rows[0][0].code == "assessment.points_too_low"


def test_decisions_are_refused_row_by_row_and_the_cap_as_a_whole(tree, rated):
    cycle, members = rated["cycles"][("X01", 2024)], rated["members"]
    member_record_event(members[2], kind="disciplined", effective_on=D(2024, 6, 1), value="reprimand")
    with pytest.raises(RowRefusals) as exc:
        ratings_decide(cycle=cycle, decided_on=D(2024, 12, 20), decisions=[
            RatingDecision(member=members[0], key="excellent"), RatingDecision(member=members[1], key="excellent"),
            RatingDecision(member=members[2], key="good"), RatingDecision(member=rated["other"], key="good")]
            + [RatingDecision(member=m, key="good") for m in members[3:8]])
    assert set(exc.value.rows) == {2, 3}
    assert exc.value.rows[2][0].code == "assessment.disciplined"
    assert [e.code for e in exc.value.general] == ["assessment.excellent_over_cap"]  # 2 > 20% of 5
    body = exc.value.as_api("decisions")
    assert set(body["decisions"]) == {"2", "3"} and "key" in body["decisions"]["2"] and "key" in body
    assert not Rating.objects.exists()


# --- the pages ---------------------------------------------------------------------------------------


def _sheet(year=2024, code="C01", **query):
    url = reverse("assessment:sheet", kwargs={"year": year, "code": code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _post(rows, step="propose", **extra):
    data = {"step": step, "save": "1"}
    if step == "propose":
        data.update(effective_on="01/12/2024", comment="Thống nhất", votes_due="6", votes_present="6")
    else:
        data.update(decided_on="20/12/2024", decision_number="15-QĐ/ĐU", issued_by="Đảng ủy xã")
    data.update({f"level-{m.pk}": k for m, k in rows})
    data.update(extra)
    return data


def test_the_secretary_of_the_cell_proposes_on_the_sheet(client, make_user, tree, rated):
    members = rated["members"][:6]
    client.force_login(make_user("bithu_c01", tree["C01"], "secretary"))
    page = client.get(_sheet())
    assert page.status_code == 200 and page.context["step"] == "propose" and page.context["may_save"]
    names = [row.member.sort_key for row in page.context["sheet"].rows]
    assert names == sorted(names) and len(names) == 6
    response = client.post(_sheet(), _post([(m, "good") for m in members]))
    assert response.status_code == 302
    assert AssessmentStep.objects.filter(kind=StepKind.CELL_REVIEW).count() == 6
    assert client.post(_sheet(step="decide"), _post([(m, "good") for m in members], "decide")).status_code == 403
    assert not Rating.objects.exists()
    assert client.get(_sheet(code="C02")).status_code == 404  # another chi bộ: outside the secretary's scope


def test_the_sheet_takes_each_members_vote_empty_for_all_present(client, make_user, tree, rated):
    members = rated["members"][:6]
    member_record_event(members[5], kind="exempted", effective_on=D(2024, 3, 1))
    client.force_login(make_user("bithu_c01", tree["C01"], "secretary"))
    form = client.get(_sheet()).context["form"]
    assert (form["votes_due"].value(), form["votes_present"].value()) == (5, 5)  # the official, less the exempted
    assert "votes_for" not in form.fields and f"for-{members[5].pk}" not in form.fields  # the exempted: not rated
    data = _post([(m, "good") for m in members[:5]], votes_due="5", votes_present="4", **{f"for-{members[1].pk}": "3"})
    assert client.post(_sheet(), data).status_code == 302
    votes = dict(AssessmentStep.objects.filter(kind=StepKind.CELL_REVIEW).values_list("member", "votes_for"))
    assert votes == {m.pk: 3 if m == members[1] else 4 for m in members[:5]}  # empty: all the 4 present
    form = client.get(_sheet()).context["form"]
    assert [form[f"for-{m.pk}"].value() for m in members[:5]] == [None, 3, None, None, None]
    assert (form["votes_due"].value(), form["votes_present"].value()) == (5, 4)  # the meeting recorded
    page = client.get(reverse("members:detail", kwargs={"code": members[1].code}), {"tab": "ratings"})
    assert [r.step.votes_for for r in page.context["reviews"]] == [3]
    assert "data-votes-for><strong>3</strong>" in page.content.decode()  # the member's own vote on their page
    # a vote over those present: refused on its row, nothing saved
    bad = _post([(m, "good") for m in members[:5]], votes_due="5", votes_present="4", **{f"for-{members[2].pk}": "5"})
    response = client.post(_sheet(), bad)
    assert response.status_code == 400 and list(response.context["form"].errors) == [f"for-{members[2].pk}"]
    html = response.content.decode()
    assert 'id="sheet-errors"' in html and f'id="id_for-{members[2].pk}-errors"' in html  # under the row's rating
    assert AssessmentStep.objects.filter(kind=StepKind.CELL_REVIEW).count() == 5


def test_all_unanimous_without_javascript(client, make_user, tree, rated):
    members = rated["members"][:6]
    client.force_login(make_user("bithu_c01", tree["C01"], "secretary"))
    data = _post([(members[0], "good")], bulk="unanimous", **{f"for-{members[0].pk}": "4", f"for-{members[1].pk}": "5"})
    del data["save"]
    response = client.post(_sheet(), data)
    assert response.status_code == 200 and not AssessmentStep.objects.filter(kind=StepKind.CELL_REVIEW).exists()
    form = response.context["form"]
    assert [form[f"for-{m.pk}"].value() for m in members[:2]] == ["", ""]
    assert form[f"level-{members[0].pk}"].value() == "good"


def test_a_secretary_of_another_cell_may_not_propose(client, make_user, tree, rated):
    client.force_login(make_user("bithu_x01", tree["X01"], "viewer"))
    assert client.post(_sheet(), _post([(rated["members"][0], "good")])).status_code == 403
    assert not AssessmentStep.objects.filter(kind=StepKind.CELL_REVIEW).exists()


def test_the_sheet_shows_each_refusal_on_its_row_and_saves_nothing(client, make_user, tree, rated):
    members = rated["members"][:6]
    client.force_login(make_user("bantochuc", tree["X01"], "organizer"))
    response = client.post(_sheet(step="decide"), _post([(m, "excellent") for m in members[:2]]
                                                        + [(m, "good") for m in members[2:]], "decide"))
    assert response.status_code == 400 and not Rating.objects.exists()
    text = response.content.decode()
    assert "20%" in text and 'id="sheet-errors"' in text and "cap-counter over" in text
    member_record_event(members[0], kind="disciplined", effective_on=D(2024, 6, 1), value="reprimand")
    response = client.post(_sheet(step="decide"), _post([(members[0], "good"), (members[1], "good")], "decide"))
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[f"level-{members[0].pk}"] and f"level-{members[1].pk}" not in form.errors
    response = client.post(_sheet(step="decide"), _post([(m, "good") for m in members[1:]], "decide"))
    assert response.status_code == 302 and Rating.objects.count() == 5


def test_the_bulk_buttons_work_without_javascript(client, make_user, tree, rated):
    members = rated["members"][:6]
    client.force_login(make_user("bantochuc", tree["X01"], "organizer"))
    data = _post([(members[0], "excellent")], "decide", bulk="fill")
    del data["save"]
    response = client.post(_sheet(step="decide"), data)
    assert response.status_code == 200 and not Rating.objects.exists()
    form = response.context["form"]
    assert [form[f"level-{m.pk}"].value() for m in members] == ["excellent"] + ["good"] * 5
    assert response.context["cap_counts"] == {"good": 5, "excellent": 1, "allowed": 1, "over": False}


def test_pages_of_the_cycle_and_the_progress(client, make_user, tree, rated):
    client.force_login(make_user("bantochuc", tree["X01"], "organizer"))
    cycle = rated["cycles"][("X01", 2024)]
    assert client.get(reverse("assessment:cycles"), {"year": 2024}).status_code == 200
    page = client.get(reverse("assessment:cycle", kwargs={"pk": cycle.pk}))
    assert page.status_code == 200 and _sheet() in page.content.decode()
    _propose(cycle, tree["C01"], [(m, "good") for m in rated["members"][:3]])
    ratings_decide(cycle=cycle, decided_on=D(2024, 12, 20),
                   decisions=[RatingDecision(member=rated["members"][0], key="good")])
    groups = client.get(reverse("assessment:progress"), {"year": 2024}).context["groups"]
    assert [(g.code, g.to_rate, g.proposed, g.decided) for g in groups] == [("X01", 10, 3, 1)]
    assert {c.code: (c.members, c.proposed, c.decided) for c in groups[0].cells} == {"C01": (6, 3, 1), "C02": (4, 0, 0)}
    assert client.get(reverse("assessment:cycle", kwargs={"pk": rated["cycles"][("H01", 2024)].pk})).status_code == 404


def test_opening_a_cycle_on_the_page(client, make_user, tree, rated):
    client.force_login(make_user("bantochuc", tree["X01"], "organizer"))
    response = client.post(reverse("assessment:cycles"), {"organization": tree["X01"].pk, "year": "2023",
                                                          "opened_on": "01/11/2023"})
    assert response.status_code == 302
    again = client.post(reverse("assessment:cycles"), {"organization": tree["X01"].pk, "year": "2023",
                                                       "opened_on": "01/11/2023"})
    assert again.status_code == 400 and "2023" in again.content.decode()
    client.force_login(make_user("bithu", tree["C01"], "secretary"))
    assert client.post(reverse("assessment:cycles"), {"organization": tree["X01"].pk, "year": "2022",
                                                      "opened_on": "01/11/2022"}).status_code == 403


def test_the_api_records_a_cells_proposals_at_once_or_answers_each_refusal(tree, make_user, rated):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(make_user("bantochuc", tree["X01"], "organizer"))
    pk, ms = rated["cycles"][("X01", 2024)].pk, rated["members"]
    body = {"cell": "C01", "effective_on": "2024-12-01", "comment": "Thống nhất", "votes_due": 6,
            "votes_present": 6, "votes_for": 6,
            "proposals": [{"member": ms[0].code, "key": "good"}, {"member": ms[6].code, "key": "good"}]}
    refused = api.post(f"/api/assessment/cycles/{pk}/cell-reviews/", body, format="json")
    assert refused.status_code == 400 and list(refused.json()["proposals"]) == ["1"]
    assert "member" in refused.json()["proposals"]["1"] and not AssessmentStep.objects.filter(kind="cell_review").exists()
    body["proposals"] = body["proposals"][:1]
    done = api.post(f"/api/assessment/cycles/{pk}/cell-reviews/", body, format="json")
    assert done.status_code == 201 and [s["key"] for s in done.json()] == ["good"]
    decided = api.post(f"/api/assessment/cycles/{pk}/decide/", {"decided_on": "2024-12-20", "decisions": [
        {"member": ms[1].code, "key": "good"}, {"member": ms[0].code, "key": "best"}]}, format="json")
    assert decided.status_code == 400 and list(decided.json()["decisions"]) == ["1"] and not Rating.objects.exists()


def test_the_api_takes_each_proposals_own_vote(tree, make_user, rated):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(make_user("bantochuc", tree["X01"], "organizer"))
    url, ms = f"/api/assessment/cycles/{rated['cycles'][('X01', 2024)].pk}/cell-reviews/", rated["members"]
    body = {"cell": "C01", "effective_on": "2024-12-01", "comment": "Thống nhất", "votes_due": 6, "votes_present": 5,
            "proposals": [{"member": ms[0].code, "key": "good", "votes_for": 5},
                          {"member": ms[1].code, "key": "good", "votes_for": 3},
                          {"member": ms[2].code, "key": "good"}]}
    refused = api.post(url, body, format="json")
    assert refused.status_code == 400 and set(refused.json()["proposals"]) == {"1", "2"}
    assert all("votes_for" in refused.json()["proposals"][i] for i in ("1", "2"))
    assert not AssessmentStep.objects.filter(kind="cell_review").exists()
    body["proposals"][1]["votes_for"] = 4
    body["votes_for"] = 5  # one vote for the proposals that give none, as the endpoint took it before
    done = api.post(url, body, format="json")
    assert done.status_code == 201 and [s["votes_for"] for s in done.json()] == [5, 4, 5]


def test_the_schema_describes_each_proposals_vote():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    def resolve(node):
        return components[node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node

    body = resolve(schema["paths"]["/api/assessment/cycles/{id}/cell-reviews/"]["post"]["requestBody"]["content"]
                   ["application/json"]["schema"])
    assert {"votes_due", "votes_present", "proposals"} <= set(body["required"]) and "votes_for" not in body["required"]
    proposal = resolve(body["properties"]["proposals"]["items"])
    assert proposal["properties"]["votes_for"]["type"] == "integer" and "votes_for" not in proposal.get("required", [])


def test_the_sheet_shows_and_keeps_the_recorded_meeting_day(client, make_user, tree, rated):
    """Reopened, the sheet shows the day the chi bộ met (not today's), so saving again keeps it."""
    members = rated["members"][:6]
    client.force_login(make_user("bithu_c01", tree["C01"], "secretary"))
    assert client.post(_sheet(), _post([(m, "good") for m in members], effective_on="05/12/2024")).status_code == 302
    form = client.get(_sheet()).context["form"]
    assert form["effective_on"].value() == D(2024, 12, 5) and form["comment"].value() == "Thống nhất"
    assert 'value="05/12/2024"' in client.get(_sheet()).content.decode()
    data = {name: form[name].value() for name in ("effective_on", "comment", "votes_due", "votes_present")}
    data["effective_on"] = f"{data['effective_on']:%d/%m/%Y}"
    again = _post([(members[0], "excellent")] + [(m, "good") for m in members[1:]], **data)
    assert client.post(_sheet(), again).status_code == 302
    days = set(AssessmentStep.objects.filter(kind=StepKind.CELL_REVIEW).values_list("effective_on", flat=True))
    assert days == {D(2024, 12, 5)}


def test_the_cycle_pages_name_the_day_the_assessment_opened_and_link_cycles_apart_from_opening_one(
        client, make_user, tree, rated):
    """Not the discipline case's "Ngày mở vụ việc"; an existing cycle is not linked as "Mở kỳ đánh giá"
    (the button that opens one)."""
    client.force_login(make_user("bantochuc", tree["X01"], "organizer"))
    cycle = rated["cycles"][("X01", 2024)]
    page = client.get(reverse("assessment:cycles"), {"year": 2024})
    html = page.content.decode()
    assert "Ngày mở vụ việc" not in html and html.count("Ngày mở kỳ đánh giá") == 2  # the table and the form
    assert str(page.context["form"]["opened_on"].label) == "Ngày mở kỳ đánh giá"
    row = html.split(f'data-cycle="{cycle.pk}"', 1)[1].split("</tr>", 1)[0]
    assert f'href="/assessment/{cycle.pk}/">Đảng bộ xã Nà Hỳ</a>' in row and "Mở kỳ đánh giá" not in row
    detail = client.get(reverse("assessment:cycle", kwargs={"pk": cycle.pk})).content.decode()
    assert "Ngày mở kỳ đánh giá" in detail and "Ngày mở vụ việc" not in detail


def _states(html: str) -> dict[str, list[str]]:
    """The progress table's rows: code → the texts of its state cells (one per row of that code)."""
    import re

    rows = re.findall(r'<tr[^>]*data-code="([^"]+)"[^>]*>(.*?)</tr>', html, re.S)
    result: dict[str, list[str]] = {}
    for code, body in rows:
        state = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)[-1]  # the last column: the state
        result.setdefault(code, []).append(re.sub(r"<[^>]+>", "", state).strip())
    return result


def test_a_cell_secretary_sees_his_cell_not_a_partial_figure_as_the_commune(client, make_user, tree, rated):
    """The secretary of C01 (under X01, outside his scope): his chi bộ on its own row, saying whose
    assessment it is in, never X01's row with his chi bộ's numbers marked finished."""
    cycle, members = rated["cycles"][("X01", 2024)], rated["members"][:6]
    _propose(cycle, tree["C01"], [(m, "good") for m in members])
    ratings_decide(cycle=cycle, decided_on=D(2024, 12, 20), decisions=[RatingDecision(member=m, key="good")
                                                                        for m in members])
    client.force_login(make_user("bithu_c01", tree["C01"], "secretary"))
    page = client.get(reverse("assessment:progress"), {"year": 2024})
    html = page.content.decode()
    assert _states(html) == {"C01": ["Đã xong"]}  # his chi bộ finished; X01 not shown as finished
    assert [(g.code, g.to_rate, g.decided, g.within, g.single) for g in page.context["groups"]] == [
        ("C01", 6, 6, "Đảng bộ xã Nà Hỳ", True)]
    assert "thuộc kỳ đánh giá của Đảng bộ xã Nà Hỳ" in html and _sheet() in html
    assert f'href="/assessment/{cycle.pk}/"' not in html  # the commune's cycle page is outside his scope
    client.force_login(make_user("bantochuc", tree["X01"], "organizer"))
    groups = client.get(reverse("assessment:progress"), {"year": 2024}).context["groups"]
    assert [(g.code, g.to_rate, g.decided, g.finished, g.within) for g in groups] == [("X01", 10, 6, False, "")]


def test_the_progress_gives_each_organization_one_status_and_none_before_its_cycle_opens(
        client, make_user, tree, rated):
    """A chi bộ under a commune without a cycle is not 'decided 0 of n'; a chi bộ cơ sở (its own
    grassroots organization) is one row with one status."""
    from dangvu.assessment.services import cycle_open, record_rating

    client.force_login(make_user("bantochuc", tree["H01"], "organizer"))
    html = client.get(reverse("assessment:progress"), {"year": 2023}).content.decode()  # no cycle open in 2023
    assert _states(html) == {"X01": ["Chưa mở kỳ đánh giá"], "C01": ["Chưa mở kỳ đánh giá"],
                             "C02": ["Chưa mở kỳ đánh giá"], "X02": ["Chưa mở kỳ đánh giá"]}
    record_rating(year=2023, label="HTTNV", member=rated["other"])  # recorded without a cycle (imported)
    html = client.get(reverse("assessment:progress"), {"year": 2023}).content.decode()
    assert _states(html)["X02"] == ["Đã xong"] and _states(html)["X01"] == ["Chưa mở kỳ đánh giá"]
    with audit_context(source="system"):
        cycle_open(organization=tree["X02"], year=2024, opened_on=D(2024, 11, 1))
    page = client.get(reverse("assessment:progress"), {"year": 2024})
    states = _states(page.content.decode())
    assert states["X02"] == ["Đã quyết định 0/1"] and states["X01"] == ["Chưa xong"]
    assert states["C01"] == ["Đã quyết định 0/6"]
    assert f'href="{_sheet(code="X02")}"' in page.content.decode()  # the chi bộ cơ sở's one row: its sheet


def test_a_cell_secretary_finds_his_sheet_in_the_cycle_of_his_grassroots_organization(client, make_user, tree, rated):
    """X01's cycle is outside the scope of C01's secretary: /assessment/ lists his chi bộ in it, linked to
    its sheet, and not the other chi bộ of X01 nor the cycle's page."""
    cycle = rated["cycles"][("X01", 2024)]
    client.force_login(make_user("bithu_c01", tree["C01"], "secretary"))
    page = client.get(reverse("assessment:cycles"), {"year": 2024})
    html = page.content.decode()
    assert "Chưa có kỳ đánh giá nào" not in html
    assert [(item.cycle, [c["code"] for c in item.cells]) for item in page.context["cells_above"]] == [(cycle, ["C01"])]
    assert f'href="{_sheet()}"' in html and _sheet(code="C02") not in html
    assert f'href="/assessment/{cycle.pk}/"' not in html and page.context["form"] is None
    sheet = client.get(_sheet())
    assert sheet.status_code == 200 and f'href="/assessment/{cycle.pk}/"' not in sheet.content.decode()  # a 404 to him
    empty = client.get(reverse("assessment:cycles"), {"year": 2023}).content.decode()  # no cycle opened in 2023
    assert "Chưa có kỳ đánh giá nào" in empty and _sheet(2023) not in empty
    client.force_login(make_user("bantochuc", tree["X01"], "organizer"))  # the cycle in the scope: listed once
    assert client.get(reverse("assessment:cycles"), {"year": 2024}).context["cells_above"] == []
