import datetime as dt

import pytest

from dangvu.members.bulk import BulkErrors, bulk_write
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.members.models import MemberEventKind as E

D = dt.date


def _new(code, cell):
    return Member(code=code, full_name="Lò Văn Minh", birth_date=D(1980, 1, 1), sex="M", ethnicity="03",
                  admitted_on=D(2010, 1, 1), cell=cell, status="probationary")


def test_bulk_write_creates_members_events_periods_and_audit(tree):
    from auditlog.models import LogEntry

    m = _new("B1", tree["C01"])
    evs = [MemberEvent(member=m, kind=E.ADMITTED, effective_on=D(2010, 1, 1), cell=tree["C01"]),
           MemberEvent(member=m, kind=E.MADE_OFFICIAL, effective_on=D(2011, 1, 1))]
    bulk_write([m], evs, source="import")
    m = Member.objects.get(code="B1")
    assert m.status == "official" and m.sort_key and m.name_folded == "lo van minh"
    assert MemberPeriod.objects.filter(member=m).count() == 2
    entry = LogEntry.objects.get(additional_data__source="import")  # one entry: the batch, its members and events
    assert entry.object_id is None and entry.timestamp == m.created_at and entry.action == LogEntry.Action.CREATE
    assert entry.additional_data["created"]["members.member"] == [m.pk]
    listed = entry.additional_data["created"]["members.memberevent"]  # the events by id, in the order given
    assert sorted(listed) == sorted(m.events.values_list("pk", flat=True))
    assert [MemberEvent.objects.get(pk=pk).kind for pk in listed] == [E.ADMITTED, E.MADE_OFFICIAL]


def test_bulk_write_is_all_or_nothing(tree, make_member):
    existing = make_member(tree["C01"])
    good = _new("B2", tree["C01"])
    evs = [MemberEvent(member=good, kind=E.ADMITTED, effective_on=D(2010, 1, 1), cell=tree["C01"]),
           MemberEvent(member=existing, kind=E.EXPELLED, effective_on=D(2016, 1, 1))]  # probationary: refused
    with pytest.raises(BulkErrors) as exc:
        bulk_write([good], evs)
    assert exc.value.errors[0].member_code == existing.code
    assert not Member.objects.filter(code="B2").exists()
    assert existing.events.count() == 1
