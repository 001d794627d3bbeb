"""The member page's change log (`views.audit_history`): a member created in bulk has one entry listing
the events created with it by id; each is shown as its own row with the event's values, and the entries of
earlier versions, which carried the events' values, are shown the same way."""

import datetime as dt

from auditlog.models import LogEntry

from dangvu.members.bulk import bulk_write
from dangvu.members.models import Member, MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.views import audit_history

D = dt.date


def _old_fields(ev: MemberEvent) -> dict:
    """An event's values as the entries of earlier versions held them (non-empty, dates as text)."""
    values = {"kind": ev.kind, "effective_on": ev.effective_on.isoformat(), "cell": ev.cell_id, "value": ev.value,
              "note": ev.note, "decision_number": ev.decision_number,
              "decision_date": ev.decision_date.isoformat() if ev.decision_date else None}
    return {k: v for k, v in values.items() if v not in (None, "")}


def test_each_event_created_with_a_member_in_bulk_is_a_row_with_its_values(tree):
    m = Member(code="B1", full_name="Lò Văn Minh", birth_date=D(1980, 1, 1), sex="M", ethnicity="03",
               admitted_on=D(2010, 1, 1), cell=tree["C01"], status="probationary")
    bulk_write([m], [MemberEvent(member=m, kind=E.ADMITTED, effective_on=D(2010, 1, 1), cell=tree["C01"],
                                 decision_number="12-QĐ/HU", decision_date=D(2009, 12, 20)),
                     MemberEvent(member=m, kind=E.MADE_OFFICIAL, effective_on=D(2011, 1, 1))], source="import")
    m = Member.objects.get(code="B1")
    rows = audit_history(m, show_personal=True)
    assert len(rows) == 3 and all(r["action"] == "create" for r in rows)
    official, admitted, profile = rows  # newest first: the entry's events, last listed first, then the member
    assert str(E.ADMITTED.label) in admitted["subject"] and "01/01/2010" in admitted["subject"]
    assert str(E.MADE_OFFICIAL.label) in official["subject"]
    shown = {c["field"]: c["after"] for c in admitted["changes"]}
    assert shown[str(MemberEvent._meta.get_field("cell").verbose_name)] == tree["C01"].name
    assert shown[str(MemberEvent._meta.get_field("decision_date").verbose_name)] == "20/12/2009"
    assert shown[str(MemberEvent._meta.get_field("decision_number").verbose_name)] == "12-QĐ/HU"
    assert {c["after"] for c in profile["changes"]} >= {"Lò Văn Minh", "B1"}

    entry = LogEntry.objects.get(additional_data__source="import")  # as an earlier version wrote it: the events' values in it
    events = {ev.pk: ev for ev in m.events.all()}
    listed = entry.additional_data["created"]["members.memberevent"]
    entry.additional_data["created"]["members.memberevent"] = [{"id": pk, "fields": _old_fields(events[pk])}
                                                                for pk in listed]
    LogEntry.objects.filter(pk=entry.pk).update(additional_data=entry.additional_data)
    assert _by_field(audit_history(m, show_personal=True)) == _by_field(rows)


def _by_field(rows: list[dict]) -> list[dict]:
    return [{**r, "changes": sorted(r["changes"], key=lambda c: c["field"])} for r in rows]
