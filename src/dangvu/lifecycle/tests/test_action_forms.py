"""The web forms of the lifecycle actions on the member's page, and the actions a member allows (the
status machine and the user's role)."""

import datetime as dt

import pytest

from dangvu.members.models import MemberEventKind as E


@pytest.mark.parametrize("action,data,expected", [
    ("discipline", {"form": "warning", "decided_on": "01/09/2024"}, "disciplined"),
    ("resign", {"on": "01/09/2024"}, "resigned"),
    ("death", {"on": "01/09/2024"}, "died"),
    ("remove", {"ground": "absent_or_unpaid", "on": "01/09/2024", "due": 9, "present": 9, "votes_for": 8}, "removed"),
])
def test_every_action_has_a_web_form_on_the_member_page(client, tree, make_member, organizer, action, data, expected):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    client.force_login(organizer)
    page = client.get(f"/members/{m.code}/").content.decode()
    assert f"/lifecycle/members/{m.code}/{action}/" in page
    r = client.post(f"/lifecycle/members/{m.code}/{action}/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert r["Location"] == f"/members/{m.code}/"  # back to the member, not to the to-do page
    assert m.events.filter(kind=expected).exists()


def test_an_action_taken_from_a_todo_list_goes_back_to_it_and_never_off_the_site(client, tree, make_member, organizer):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    client.force_login(organizer)
    todo = client.get("/lifecycle/todo/cards/").content.decode()
    assert f'/lifecycle/members/{m.code}/card/?next=/lifecycle/todo/cards/"' in todo
    form = client.get(f"/lifecycle/members/{m.code}/card/?next=/lifecycle/todo/cards/").content.decode()
    assert 'href="/lifecycle/todo/cards/">Hủy' in form
    r = client.post(f"/lifecycle/members/{m.code}/card/?next=/lifecycle/todo/cards/",
                    {"number": "12345678", "issued_on": "01/09/2024"})
    assert r.status_code == 302 and r["Location"] == "/lifecycle/todo/cards/", r.content.decode()[:3000]
    other = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    r = client.post(f"/lifecycle/members/{other.code}/death/?next=https://example.com/", {"on": "01/09/2024"})
    assert r["Location"] == f"/members/{other.code}/"


def test_the_exemption_form_shows_why_it_is_refused(client, tree, make_member, organizer):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19), birth_date=dt.date(1980, 1, 1))
    client.force_login(organizer)
    r = client.post(f"/lifecycle/members/{m.code}/exempt/", {"ground": "age", "on": "01/09/2024"})
    assert r.status_code == 200 and "field-error" in r.content.decode()
    assert not m.events.filter(kind="exempted").exists()


def test_the_actions_a_member_allows_come_from_the_status_machine_and_the_role(client, tree, make_member, organizer,
                                                                                make_user):
    from dangvu.lifecycle.selectors import allowed_actions
    from dangvu.members.services import member_record_event

    probationer = make_member(tree["C01"], admitted_on=dt.date(2024, 3, 15))
    official = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    assert allowed_actions(probationer, organizer, case_open=False) == [
        "recognize", "transfer", "suspend", "open-discipline-case", "discipline", "remove", "resign", "death"]
    assert allowed_actions(official, organizer, case_open=False) == [
        "card", "badge", "exempt", "transfer", "suspend", "open-discipline-case", "discipline", "remove", "resign",
        "death"]
    assert "transfer" not in allowed_actions(official, organizer, case_open=True)
    assert "close-discipline-case" in allowed_actions(official, organizer, case_open=True)
    inspector = make_user("ubkt", tree["H01"], role="inspector")
    assert allowed_actions(official, inspector, case_open=False) == ["suspend", "open-discipline-case", "discipline"]
    member_record_event(official, kind=E.EXPELLED, effective_on=dt.date(2024, 1, 1))
    official.refresh_from_db()
    assert allowed_actions(official, organizer, case_open=False) == ["restore"]
    member_record_event(probationer, kind=E.DIED, effective_on=dt.date(2024, 9, 1))
    probationer.refresh_from_db()
    assert allowed_actions(probationer, organizer, case_open=False) == []
    client.force_login(organizer)
    page = client.get(f"/members/{official.code}/").content.decode()
    assert f"/lifecycle/members/{official.code}/restore/" in page
    assert f"/lifecycle/members/{official.code}/discipline/" not in page


def test_the_discipline_and_removal_forms_name_the_rules_of_today(monkeypatch):
    """Their help texts and choices read the rules in force (the forms' `_rules_today`), no literal: other values
    in the rules show in them."""
    import dataclasses

    from dangvu import regulations as R
    from dangvu.lifecycle import forms

    rules = dataclasses.replace(R.QD24_2021, discipline_forms={**R.QD24_2021.discipline_forms, "probationary": ("reprimand",)},
                                discipline_cell_forms=("warning",), discipline_protected=("pregnant",),
                                removal_unpaid_dues_months=4)
    monkeypatch.setattr(forms, "_rules_today", lambda: rules)
    form = forms.DisciplineForm()
    assert str(form.fields["form"].help_text) == (
        "Đảng viên dự bị chỉ bị khiển trách. Chi bộ quyết định cảnh cáo; các hình thức khác do đảng ủy cơ sở hoặc "
        "cấp trên quyết định, ghi kèm quyết định. Khai trừ chấm dứt tư cách đảng viên.")
    assert str(form.fields["conditions"].help_text).endswith("tình trạng: đang mang thai.")
    assert "4 tháng trong năm" in dict(forms.RemoveForm().fields["ground"].choices)["absent_or_unpaid"]


def test_django_s_own_messages_read_as_sentences_in_vietnamese(db):
    """The validators' messages of Django, as the project's catalogue words them (no stray space, a full stop)."""
    from django.utils import translation

    from dangvu.lifecycle.forms import CardForm, RecognitionForm

    with translation.override("vi"):
        card = CardForm({"number": "123456789012", "issued_on": "01/09/2024"})
        vote = RecognitionForm({"decided_on": "01/09/2024", "due": "-1", "present": "0", "votes_for": "0"})
        assert card.errors["number"] == ["Giá trị chỉ được có tối đa 8 ký tự (hiện có 12)."]
        assert vote.errors["due"] == ["Giá trị phải lớn hơn hoặc bằng 0."]


def test_the_card_number_input_says_its_digits_in_vietnamese_and_takes_no_more(client, tree, make_member, organizer):
    from dangvu import regulations as R

    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    client.force_login(organizer)
    page = client.get(f"/lifecycle/members/{m.code}/card/").content.decode()
    assert f'maxlength="{R.CARD_NUMBER_DIGITS}"' in page and f"{R.CARD_NUMBER_DIGITS} chữ số." in page


def test_the_recognition_vote_leaves_the_exempted_out_of_the_count_and_starts_from_the_registry(
        client, tree, make_member, organizer):
    """As the admission vote: the form suggests the official members of the cell and those the rules leave out
    of the count (exempted, suspended); a vote of 2/3 of those counted passes though not of all officials."""
    from dangvu.lifecycle import services

    officials = [make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19)) for _ in range(5)]
    for m in officials[:2]:
        services.exempt(m, on=dt.date(2024, 1, 10), ground="long_medical_treatment")
    probationer = make_member(tree["C01"], admitted_on=dt.date(2023, 5, 2))
    client.force_login(organizer)
    url = f"/lifecycle/members/{probationer.code}/recognize/"
    form = client.get(url).context["form"]
    assert form["due"].value() == 5 and form["excluded"].value() == 2
    # 2 of the 3 counted: 2/3 reached (2 of 5 would not be)
    r = client.post(url, {"decided_on": "10/05/2024", "due": 5, "excluded": 2, "present": 3, "votes_for": 2})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert probationer.events.filter(kind=E.MADE_OFFICIAL).exists()


def test_the_recognition_api_takes_those_left_out_of_the_count(tree, make_member, organizer):
    from rest_framework.test import APIClient

    from dangvu.lifecycle import services

    for m in [make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19)) for _ in range(5)][:2]:
        services.exempt(m, on=dt.date(2024, 1, 10), ground="long_medical_treatment")
    probationer = make_member(tree["C01"], admitted_on=dt.date(2023, 5, 2))
    api = APIClient()
    api.force_authenticate(organizer)
    url = f"/api/lifecycle/members/{probationer.code}/recognize/"
    body = {"decided_on": "2024-05-10", "due": 5, "present": 3, "votes_for": 2}
    assert api.post(url, body, format="json").status_code == 400  # 2 of 5
    r = api.post(url, {**body, "excluded": 2}, format="json")
    assert r.status_code == 201, r.json()


def test_a_recognition_vote_below_the_threshold_says_who_was_left_out_of_the_count(tree, make_member):
    from dangvu.core.errors import DomainError
    from dangvu.lifecycle import services
    from dangvu.organizations.services import Vote

    probationer = make_member(tree["C01"], admitted_on=dt.date(2023, 5, 2))
    with pytest.raises(DomainError) as exc:
        services.recognize_official(probationer, decided_on=dt.date(2024, 5, 10), vote=Vote(21, 15, 10, 4))
    assert exc.value.field == "votes_for"
    assert "trong số 17 đảng viên chính thức được tính" in exc.value.message
    assert "không tính 4 đảng viên miễn sinh hoạt" in exc.value.message


def test_a_decision_form_starts_from_today_and_a_death_or_removal_from_nothing(client, tree, make_member, organizer):
    """The forms of decisions and steps recorded on the day they are taken start from today, as the
    admission's do; a death, a removal or a resignation is asked for its own day."""
    from django.utils import timezone

    from dangvu.core.dates import format_date

    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    client.force_login(organizer)
    today = format_date(timezone.localdate())
    for action, field in (("discipline", "decided_on"), ("open-discipline-case", "opened_on"), ("exempt", "on"),
                          ("card", "issued_on"), ("transfer", "issued_on")):
        form = client.get(f"/lifecycle/members/{m.code}/{action}/").context["form"]
        assert form[field].value() == today, action
    for action in ("death", "remove", "resign"):
        assert not client.get(f"/lifecycle/members/{m.code}/{action}/").context["form"]["on"].value(), action


def test_a_vote_count_beyond_any_organization_is_a_message_not_a_server_error(client, tree, make_member, organizer):
    """PostgreSQL's integer columns stop at 2,147,483,647: a count typed with too many digits is refused
    as an invalid vote, at the form, with nothing written."""
    m = make_member(tree["C01"], admitted_on=dt.date(2023, 1, 1))
    client.force_login(organizer)
    r = client.post(f"/lifecycle/members/{m.code}/recognize/", {
        "decided_on": "05/01/2024", "due": 3_000_000_000, "excluded": 0, "present": 3_000_000_000,
        "votes_for": 3_000_000_000})
    assert r.status_code == 200 and r.context["form"].errors
    assert not m.events.filter(kind=E.MADE_OFFICIAL).exists()


def test_the_death_form_asks_the_date_of_death_and_no_decision_it_would_not_keep(client, tree, make_member, organizer):
    """A death is reported by the chi bộ, without a decision: the form asks no decision (it was shown, then dropped)."""
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    client.force_login(organizer)
    html = client.get(f"/lifecycle/members/{m.code}/death/").content.decode()
    assert 'name="decision_number"' not in html and 'name="issued_by"' not in html
    assert "Ngày từ trần" in html and "Ngày hiệu lực" not in html
