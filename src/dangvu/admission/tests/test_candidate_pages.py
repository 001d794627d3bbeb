"""Candidates for admission on the web and in the API: the pages, the API against its schema, scope
and who may record a step."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from tests.contracts.test_api_schema import basic, check

from dangvu.admission import services as C
from dangvu.admission.models import Candidate, CandidateStage, CandidateStep, StepKind
from dangvu.members.models import Member, MemberEventKind

from .candidate_steps import D, fill_file, propose, to_cell_approved

pytestmark = pytest.mark.django_db

St = CandidateStage
K = StepKind


# --- Web pages -------------------------------------------------------------------------------------------


def test_a_secretary_proposes_and_an_organizer_decides_on_the_web(client, tree, introducers, make_user):
    secretary = make_user("bt.c01", tree["C01"], "secretary")
    organizer = make_user("bantc", tree["H01"], "organizer")
    client.force_login(secretary)
    assert client.get(reverse("admission:candidates")).status_code == 200
    response = client.post(reverse("admission:candidate_create"), {
        "cell": tree["C01"].pk, "proposed_on": "10/01/2024", "full_name": "Vàng Thị Mai", "birth_date": "15/03/2000",
        "sex": "F", "ethnicity": "01"})
    c = Candidate.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("admission:candidate", args=[c.pk])
    step_url = lambda slug: reverse("admission:candidate_step", args=[c.pk, slug])  # noqa: E731
    assert client.get(step_url("course")).context["form"]["issued_by"].label == "Nơi cấp"  # a certificate's, not a decision's
    assert client.post(step_url("course"), {"issued_on": "20/02/2024", "certificate_number": "12"}).status_code == 302
    assert client.post(step_url("sympathizer"), {"effective_on": "01/03/2024"}).status_code == 302
    c.refresh_from_db()
    fill_file(c, introducers)
    assert client.post(step_url("complete-dossier"), {"effective_on": "15/04/2024"}).status_code == 302
    page = client.get(step_url("cell-vote")).content.decode()
    assert 'id="requirements"' in page and "2/3" in page
    # A vote below 2/3 is refused on the page, with the reason, and nothing is saved.
    response = client.post(step_url("cell-vote"), {"effective_on": "20/04/2024", "votes_due": 6, "votes_excluded": 0,
                                                   "votes_present": 6, "votes_for": 3})
    assert response.status_code == 200 and 'id="refusal"' in response.content.decode()
    assert "2/3" in response.content.decode()
    c.refresh_from_db()
    assert c.stage == St.DOSSIER_COMPLETE
    assert client.post(step_url("cell-vote"), {"effective_on": "20/04/2024", "votes_due": 6, "votes_excluded": 0,
                                               "votes_present": 6, "votes_for": 5}).status_code == 302
    C.candidate_committee_vote(c, on=D(2024, 5, 10), vote=C.Vote(9, 9, 9))
    # The decision belongs to the district: the secretary of the cell cannot record it.
    assert client.get(step_url("decision")).status_code == 403
    detail = client.get(reverse("admission:candidate", args=[c.pk])).content.decode()
    assert "Đảng bộ huyện Mường Lay" in detail and 'id="checklist"' in detail
    client.force_login(organizer)
    assert client.post(step_url("decision"), {"decision_number": "125-QĐ/HU", "decision_date": "03/06/2024",
                                              "received_on": "05/06/2024"}).status_code == 302
    client.force_login(secretary)
    assert client.post(step_url("ceremony"), {"effective_on": "20/06/2024", "member_code": "KN0001"}).status_code == 302
    c.refresh_from_db()
    assert c.stage == St.ADMITTED and c.member.code == "KN0001"
    decision = c.steps.get(kind=K.DECISION)
    assert decision.recorded_by == organizer and decision.owner_org == tree["H01"]
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(CandidateStep), object_id=decision.pk)
    assert entry.actor == organizer
    assert "KN0001" in client.get(reverse("admission:candidate", args=[c.pk])).content.decode()


def test_web_scope_404_and_viewers_cannot_write(client, tree, make_user):
    c = propose(tree["C01"])
    outsider = make_user("bt.c02", tree["C02"], "secretary")
    viewer = make_user("xem", tree["H01"], "viewer")
    client.force_login(outsider)
    assert client.get(reverse("admission:candidate", args=[c.pk])).status_code == 404
    assert client.get(reverse("admission:candidate_step", args=[c.pk, "course"])).status_code == 404
    assert "Vàng Thị Mai" not in client.get(reverse("admission:candidates")).content.decode()
    client.force_login(viewer)
    assert client.get(reverse("admission:candidate", args=[c.pk])).status_code == 200
    assert "Vàng Thị Mai" in client.get(reverse("admission:candidates")).content.decode()
    assert client.get(reverse("admission:candidate_step", args=[c.pk, "course"])).status_code == 403
    assert client.post(reverse("admission:candidate_create"), {}).status_code == 403
    assert client.get(reverse("admission:candidate_step", args=[c.pk, "nonsense"])).status_code == 404


# --- API -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)



def test_api_takes_a_candidate_through_every_step_and_answers_match_the_schema(schema, tree, introducers, make_user):
    organizer = make_user("bantc", tree["H01"], "organizer")
    api = basic(organizer)
    response = api.post("/api/candidates/", {
        "cell": "C01", "proposed_on": "2024-01-10", "full_name": "Vàng Thị Mai", "birth_date": "2000-03-15",
        "sex": "F", "ethnicity": "Mông", "national_id_number": "001300000123"}, format="json")
    assert response.status_code == 201, response.content
    check(schema, "/api/candidates/", response.json(), method="post", status="201")
    pk = response.json()["id"]
    steps = [
        ("awareness-course", {"issued_on": "2024-02-20", "certificate_number": "12/CN"}),
        ("sympathizer", {"effective_on": "2024-03-01"}),
        ("documents", {"key": "1-KNĐ", "received_on": "2024-03-05"}),
        ("documents", {"key": "biography", "received_on": "2024-03-10", "held_by": "Chi ủy"}),
        ("background-check", {"effective_on": "2024-03-25", "result": "clear"}),
        ("introducers", {"effective_on": "2024-03-30", "introducers": [
            {"member": introducers[0].code, "months_with_applicant": 24},
            {"member": introducers[1].code, "months_with_applicant": 30}]}),
        ("comments", {"effective_on": "2024-04-04", "from_organizations": "Tốt", "from_residence": "Tốt"}),
        ("complete-dossier", {"effective_on": "2024-04-15"}),
        ("cell-vote", {"effective_on": "2024-04-20", "votes_due": 5, "votes_present": 5, "votes_for": 4}),
        ("committee-vote", {"effective_on": "2024-05-10", "votes_due": 9, "votes_present": 8, "votes_for": 7}),
        ("decision", {"decision_number": "125-QĐ/HU", "decision_date": "2024-06-03", "received_on": "2024-06-05"}),
        ("ceremony", {"effective_on": "2024-06-20", "member_code": "KN0001"}),
    ]
    for slug, body in steps:
        path = f"/api/candidates/{{id}}/{slug}/"
        response = api.post(f"/api/candidates/{pk}/{slug}/", body, format="json")
        assert response.status_code == 201, (slug, response.content)
        check(schema, path, response.json(), method="post", status="201")
    reads = [("/api/candidates/", "/api/candidates/", {}), ("/api/candidates/{id}/", f"/api/candidates/{pk}/", {}),
             ("/api/candidates/{id}/steps/", f"/api/candidates/{pk}/steps/", {}),
             ("/api/candidates/{id}/documents/", f"/api/candidates/{pk}/documents/", {}),
             ("/api/candidates/", "/api/candidates/", {"overdue": "true", "stage": "probationary", "cell": "X01"})]
    for template, url, params in reads:
        response = api.get(url, params)
        assert response.status_code == 200, url
        check(schema, template, response.json())
    data = api.get(f"/api/candidates/{pk}/").json()
    assert (data["stage"], data["member"], data["national_id_number"]) == ("probationary", "KN0001", "001300000123")
    event = Member.objects.get(code="KN0001").events.get(kind=MemberEventKind.ADMITTED)
    assert event.decision_number == "125-QĐ/HU"


def test_api_refusals_scope_and_permissions(schema, tree, introducers, make_user):
    c = propose(tree["C01"])
    to_cell_approved(c, introducers)
    secretary = make_user("bt.c01", tree["C01"], "secretary")
    outsider = make_user("bt.c02", tree["C02"], "secretary")
    viewer = make_user("xem", tree["H01"], "viewer")
    committee = make_user("bt.x01", tree["X01"], "secretary")
    body = {"effective_on": "2024-05-10", "votes_due": 9, "votes_present": 9, "votes_for": 5}
    assert basic(outsider).get(f"/api/candidates/{c.pk}/").status_code == 404
    assert basic(outsider).post(f"/api/candidates/{c.pk}/committee-vote/", body, format="json").status_code == 404
    assert basic(viewer).post(f"/api/candidates/{c.pk}/committee-vote/", body, format="json").status_code == 403
    assert basic(secretary).post(f"/api/candidates/{c.pk}/committee-vote/", body, format="json").status_code == 403
    response = basic(committee).post(f"/api/candidates/{c.pk}/committee-vote/", body, format="json")
    assert response.status_code == 400 and "2/3" in response.json()["votes_for"][0]
    response = basic(committee).post(f"/api/candidates/{c.pk}/committee-vote/", {**body, "votes": 1}, format="json")
    assert response.status_code == 400 and "votes" in response.json()
    c.refresh_from_db()
    assert c.stage == St.CELL_APPROVED and c.steps.filter(kind=K.COMMITTEE_VOTE).count() == 0
    assert basic(outsider).get("/api/candidates/").json()["count"] == 0
    assert basic(viewer).get("/api/candidates/", {"overdue": "true"}).json()["count"] == 1


def test_a_rejection_is_recorded_by_the_owner_of_the_pending_step_on_the_web_as_in_the_api(
        client, tree, introducers, make_user):
    """Pending: the đảng ủy cơ sở's vote (X01). The chi bộ secretary may not reject it; X01's organizer may."""
    from django.urls import reverse

    c = propose(tree["C01"])
    to_cell_approved(c, introducers)
    url = reverse("admission:candidate_step", args=[c.pk, "reject"])
    data = {"effective_on": "10/05/2024", "reason": "Chưa đủ phiếu", "votes_due": 9, "votes_present": 9, "votes_for": 3}
    client.force_login(make_user("bithu_c01", tree["C01"], role="secretary"))
    assert client.post(url, data).status_code == 403
    assert basic(make_user("bithu_c01_api", tree["C01"], role="secretary")).post(
        f"/api/candidates/{c.pk}/reject/", {"effective_on": "2024-05-10", "reason": "x", "votes_due": 9,
                                           "votes_present": 9, "votes_for": 3}, format="json").status_code == 403
    c.refresh_from_db()
    assert c.stage == St.CELL_APPROVED
    client.force_login(make_user("bantochuc_x01", tree["X01"], role="organizer"))
    assert client.post(url, data).status_code == 302
    c.refresh_from_db()
    assert c.stage == St.SYMPATHIZER


def test_the_proposal_form_chooses_the_cell_of_a_secretary_who_has_only_one(client, tree, make_user):
    client.force_login(make_user("bt.c01", tree["C01"], "secretary"))
    form = client.get(reverse("admission:candidate_create")).context["form"]
    assert form["cell"].value() == tree["C01"].pk
    client.force_login(make_user("bantc", tree["H01"], "organizer"))  # many cells: the user chooses
    assert client.get(reverse("admission:candidate_create")).context["form"]["cell"].value() is None


def test_an_introducer_refused_is_said_at_that_introducer(client, tree, introducers, make_user):
    from .candidate_steps import to_sympathizer

    c = propose(tree["C01"])
    to_sympathizer(c)
    client.force_login(make_user("bt.c01", tree["C01"], "secretary"))
    one, two = introducers
    url = reverse("admission:candidate_step", args=[c.pk, "introducers"])
    r = client.post(url, {"effective_on": "05/03/2024", "introducer_1": one.code, "months_1": 24,
                          "introducer_2": two.code, "months_2": 6, "youth_union_at_unit": "on"})
    form = r.context["form"]
    assert list(form.errors) == ["months_2"] and "6" in form.errors["months_2"][0]
