"""core.audit.log_bulk_created writes, column by column, what django-auditlog writes for one save:
the object's non-empty values as {field: ["None", value as text]}; log_bulk_batch one entry for a batch,
listing the ids of what it created."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry

from dangvu.core.audit import log_bulk_batch, log_bulk_created
from dangvu.core.bulk import instance_factory
from dangvu.members.models import Member, MemberEvent, MemberEventKind
from dangvu.organizations.models import OrganizationEvent

ODD = ['Đỗ "Thị" Ánh', "back\\slash", "tab\there", "line\nbreak", "", "Lò Văn Minh"]


def _text(v) -> str:
    return v.isoformat() if isinstance(v, dt.date) else str(v)


def _created(obj, names) -> list[tuple]:
    """The `changes` of a CREATE entry, as django-auditlog writes it: empty values left out."""
    return [(n, ["None", _text(getattr(obj, a))]) for n, a in names if getattr(obj, a) not in (None, "")]


def _members(n: int):
    new_member, new_event = instance_factory(Member), instance_factory(MemberEvent)
    members, kids = [], {}
    for i in range(n):
        m = new_member(id=10_000 + i, code=f"C{i}", full_name=ODD[i % len(ODD)] or f"Tên {i}",
                       birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=7 * i), sex="MF"[i % 2], ethnicity="01",
                       religion=ODD[i % 5] if i % 3 else "", admitted_on=dt.date(2000, 1, 1) + dt.timedelta(days=i % 40),
                       made_official_on=None if i % 4 else dt.date(2001, 1, 1), status="official",
                       exempted=i % 7 == 0, cell_id=1 + i % 600, card_number=f"{i:08d}" if i % 3 else "")
        members.append(m)
        kids[m.id] = [new_event(id=50_000 + 10 * i + j, member_id=m.id, kind=MemberEventKind.CARD_ISSUED,
                                effective_on=dt.date(2005, 1, 1) + dt.timedelta(days=i + j), value=ODD[j % 6],
                                cell_id=None if j else 1 + i % 600, note=ODD[(i + j) % 6])
                      for j in range(i % 4)]
    return members, kids


@pytest.mark.django_db
def test_bulk_created_entries_hold_each_objects_non_empty_values(db, monkeypatch):
    from dangvu.core import audit

    monkeypatch.setattr(audit, "BATCH", 500)  # fields already full of remembered values in the next batches
    members, _kids = _members(1200)  # more distinct codes, names, dates and cards than are remembered (512)
    log_bulk_created(members, source="import")
    entries = {e.object_id: e for e in LogEntry.objects.filter(object_id__gte=10_000)}
    names = [(f.name, f.attname) for f in Member._meta.concrete_fields if f.name in {
        "code", "full_name", "birth_date", "sex", "ethnicity", "religion", "admitted_on", "made_official_on",
        "status", "exempted", "cell", "card_number"}]
    for m in members:
        e = entries[m.id]
        assert {k: v for k, v in e.changes_dict.items() if k in dict(names)} == dict(_created(m, names))
        assert e.additional_data == {"source": "import"}


@pytest.mark.django_db
def test_a_batch_entry_lists_the_ids_it_created_by_model_at_the_time_given(db):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    members, kids = _members(30)
    at = timezone.now() - dt.timedelta(seconds=5)
    events = [k.id for m in members for k in kids[m.id]]
    log_bulk_batch(Member, {Member: [m.id for m in members], MemberEvent: events}, at=at, source="import")
    e = LogEntry.objects.get()
    assert (e.content_type, e.object_id, e.object_pk, e.action, e.timestamp) == (
        ContentType.objects.get_for_model(Member), None, "", LogEntry.Action.CREATE, at)
    assert e.additional_data == {"source": "import", "created": {
        "members.member": [m.id for m in members], "members.memberevent": events}}


@pytest.mark.django_db
def test_bulk_created_entries_write_a_json_value_as_its_text(db):
    new = instance_factory(OrganizationEvent)
    events = [new(id=90_000 + i, organization_id=3, kind="renamed", effective_on=dt.date(2001, 1, 1 + i),
                  payload={"old_name": ODD[i], "n": i}) for i in range(3)]
    log_bulk_created(events, source="cli")
    for ev in events:
        changes = LogEntry.objects.get(object_id=ev.id).changes_dict
        assert changes["payload"] == ["None", str(ev.payload)] and changes["effective_on"][1] == ev.effective_on.isoformat()
