"""The member page's change log (`change_log.audit_history`): members created in bulk have one entry for
their batch (`core.audit.log_bulk_batch`), listing the members and events by id; each member shows a row for
its profile, with the values it was created with, and one per event with the event's values; entries of
earlier versions (one per member, listing its events by id or with their values) are shown the same way."""

import datetime as dt

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from dangvu.members.bulk import bulk_write
from dangvu.members.change_log import audit_history
from dangvu.members.models import Member, MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_update_profile

D = dt.date


def _write(tree, *codes: str) -> list[Member]:
    members, events = [], []
    for i, code in enumerate(codes):
        m = Member(code=code, full_name=f"Lò Văn Minh {code}", birth_date=D(1980, 1, 1 + i), sex="M", ethnicity="03",
                   phone="0912 000 111", admitted_on=D(2010, 1, 1), cell=tree["C01"], status="probationary")
        members.append(m)
        events += [MemberEvent(member=m, kind=E.ADMITTED, effective_on=D(2010, 1, 1), cell=tree["C01"],
                               decision_number="12-QĐ/HU", decision_date=D(2009, 12, 20)),
                   MemberEvent(member=m, kind=E.MADE_OFFICIAL, effective_on=D(2011, 1, 1))]
    bulk_write(members, events, source="import")
    return [Member.objects.get(code=c) for c in codes]


def _profile(rows: list[dict]) -> dict:
    return {c["field"]: (c["before"], c["after"]) for c in rows[-1]["changes"]}


def _label(name: str) -> str:
    return str(Member._meta.get_field(name).verbose_name)


def test_a_batch_has_one_entry_and_each_member_shows_its_profile_and_its_own_events(tree):
    b1, b2 = _write(tree, "B1", "B2")
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Member)).count() == 1
    assert not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(MemberEvent)).exists()
    rows = audit_history(b1, show_personal=True)
    assert len(rows) == 3 and all(r["action"] == "create" for r in rows)
    official, admitted, profile = rows  # newest first: the entry's events, last listed first, then the member
    assert str(E.ADMITTED.label) in admitted["subject"] and "01/01/2010" in admitted["subject"]
    assert str(E.MADE_OFFICIAL.label) in official["subject"]
    shown = {c["field"]: c["after"] for c in admitted["changes"]}
    assert shown[str(MemberEvent._meta.get_field("cell").verbose_name)] == tree["C01"].name
    assert shown[str(MemberEvent._meta.get_field("decision_date").verbose_name)] == "20/12/2009"
    assert shown[str(MemberEvent._meta.get_field("decision_number").verbose_name)] == "12-QĐ/HU"
    assert {c["after"] for c in profile["changes"]} >= {"Lò Văn Minh B1", "B1", "01/01/1980"}
    assert "Lò Văn Minh B2" not in {c["after"] for r in rows for c in r["changes"]}  # the other member's entry
    assert len(audit_history(b2, show_personal=True)) == 3


def test_the_profile_shows_the_values_it_was_created_with_after_later_changes(tree):
    (m,) = _write(tree, "B1")
    member_update_profile(m, full_name="Lò Văn Mạnh", phone="0988 777 666")
    member_update_profile(Member.objects.get(pk=m.pk), full_name="Lò Văn Mười")
    rows = audit_history(Member.objects.get(pk=m.pk), show_personal=True)
    assert [r["action"] for r in rows] == ["update", "update", "create", "create", "create"]
    created = _profile(rows)
    assert created[_label("full_name")] == ("", "Lò Văn Minh B1") and created[_label("phone")] == ("", "0912 000 111")
    assert {c["field"]: (c["before"], c["after"]) for c in rows[1]["changes"]}[_label("full_name")] == (
        "Lò Văn Minh B1", "Lò Văn Mạnh")
    hidden = _profile(audit_history(Member.objects.get(pk=m.pk), show_personal=False))
    assert hidden[_label("phone")] == ("", "•••")  # personal data, as in any entry


def test_entries_of_earlier_versions_are_shown_as_a_batch_entry_is(tree):
    """One entry per member: its values in `changes`, its events listed by id, or with their values."""
    (m,) = _write(tree, "B1")
    rows = audit_history(m, show_personal=True)
    batch = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Member))
    listed = batch.additional_data["created"]["members.memberevent"]
    fields = {"code": "B1", "full_name": "Lò Văn Minh B1", "birth_date": "1980-01-01", "sex": "M", "ethnicity": "03",
              "phone": "0912 000 111"}
    old = LogEntry.objects.create(
        content_type=batch.content_type, object_pk=str(m.pk), object_id=m.pk, object_repr=str(m),
        action=LogEntry.Action.CREATE, changes={k: ["None", v] for k, v in fields.items()},
        additional_data={"source": "import", "created": {"members.memberevent": listed}})
    LogEntry.objects.filter(pk=old.pk).update(timestamp=batch.timestamp)
    batch.delete()
    assert _by_field(audit_history(m, show_personal=True)) == _by_field(rows)

    events = {ev.pk: ev for ev in m.events.all()}
    old.additional_data["created"]["members.memberevent"] = [{"id": pk, "fields": _old_fields(events[pk])}
                                                             for pk in listed]
    LogEntry.objects.filter(pk=old.pk).update(additional_data=old.additional_data)
    assert _by_field(audit_history(m, show_personal=True)) == _by_field(rows)


def _old_fields(ev: MemberEvent) -> dict:
    """An event's values as the entries of earlier versions held them (non-empty, dates as text)."""
    values = {"kind": ev.kind, "effective_on": ev.effective_on.isoformat(), "cell": ev.cell_id, "value": ev.value,
              "note": ev.note, "decision_number": ev.decision_number,
              "decision_date": ev.decision_date.isoformat() if ev.decision_date else None}
    return {k: v for k, v in values.items() if v not in (None, "")}


def _by_field(rows: list[dict]) -> list[dict]:
    return [{**r, "when": None, "changes": sorted(r["changes"], key=lambda c: c["field"])} for r in rows]


def test_an_event_s_value_is_shown_by_its_label_not_its_code(tree, make_member):
    """A discipline's form, an exemption's ground: the change log reads as the member's history does."""
    from dangvu.members.services import member_record_event

    m = make_member(tree["C01"], made_official_on=D(2016, 5, 19), birth_date=D(1960, 1, 1))
    member_record_event(m, kind=E.DISCIPLINED, effective_on=D(2024, 3, 1), value="warning")
    member_record_event(m, kind=E.EXEMPTED, effective_on=D(2024, 6, 1), value="age")
    shown = [c["after"] for row in audit_history(m, show_personal=True) for c in row["changes"]
             if c["field"] == str(MemberEvent._meta.get_field("value").verbose_name)]
    assert "cảnh cáo" in shown and "Tuổi cao, sức khỏe yếu (tự nguyện đề nghị)" in shown
    assert "warning" not in shown and "age" not in shown


def test_a_badge_is_shown_as_its_years_of_party_age():
    from django.utils import translation

    with translation.override("vi"):
        assert MemberEvent(kind=E.BADGE_AWARDED, value="30", effective_on=D(2018, 9, 2)).value_display == "30 năm"
