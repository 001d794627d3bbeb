"""The badges due in one statement (todo._badge_candidates: one pass over the events, the plain cases
settled in SQL) list what the member-by-member rule (services.badge_due on every current member)
lists, on varied records: admissions with the decision before, on or after the ceremony, or none on
file; readmissions after a gap; badges held (milestones, others, not a number); discipline delays;
members who left; start days on and around the limits of each milestone, 29 February included."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from dangvu import regulations as R
from dangvu.lifecycle.services import badge_due
from dangvu.lifecycle.todo import badge_rows_due_among, badges_due_among
from dangvu.members.models import ACTIVE_STATUSES, Member, MemberEvent, MemberStatus
from dangvu.members.models import MemberEventKind as E
from dangvu.members.selectors import members_in_subtree

D = dt.date
AWARDS = (D(2026, 2, 3), D(2026, 9, 2), D(2027, 11, 7))


def _event(member, kind, day, value="", decided=None):
    return MemberEvent(member=member, kind=kind, effective_on=day, value=value, decision_date=decided)


def _vary(member: Member, rng: random.Random) -> list[MemberEvent]:
    """Events added to a registered member (its admission is on file already), at random."""
    admitted = member.admitted_on
    out = []
    admission = member.events.filter(kind=E.ADMITTED).first()
    roll = rng.random()
    if admission and roll < 0.3:  # the decision date: before, on or after the ceremony
        admission.decision_date = admitted + dt.timedelta(days=rng.choice((-40, -1, 0, 3)))
        admission.save(update_fields=["decision_date"])
    elif admission and roll < 0.4:  # only `admitted_on` on file
        admission.delete()
    if rng.random() < 0.3:  # badges held
        for value in rng.sample(["30", "40", "45", "50", "35", "x"], rng.randint(1, 2)):
            out.append(_event(member, E.BADGE_AWARDED, D(2015, 5, 19), value))
    if rng.random() < 0.15:  # removed, then readmitted
        left = admitted + dt.timedelta(days=rng.randint(400, 4000))
        out += [_event(member, E.REMOVED, left), _event(member, E.ADMITTED, left + dt.timedelta(days=rng.randint(30, 900)),
                                                         decided=left + dt.timedelta(days=10))]
    if rng.random() < 0.1:
        out.append(_event(member, E.DISCIPLINED, D(2025, rng.randint(1, 12), 1), rng.choice(("reprimand", "warning"))))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_the_set_based_lists_are_the_rule_applied_to_every_member(tree, make_member, seed):
    rng = random.Random(seed)
    starts = [D(2026, 2, 28), D(1996, 2, 29), D(1996, 3, 1)]  # 29/02 and a month-end
    for award in AWARDS:
        for _years, last in R.badge_start_limits(award, R.rules_on(award)):
            starts += [last + dt.timedelta(days=d) for d in (-1, 0, 1)]
    starts = rng.sample(starts, 30) + [D(rng.randint(1935, 2000), rng.randint(1, 12), rng.randint(1, 28))
                                       for _ in range(15)]
    cells = [tree["C01"], tree["C02"]]
    extra = []
    for i, start in enumerate(starts):
        official = R.add_months(start, 12)  # a fact that has happened, or still probationary
        m = make_member(rng.choice(cells), name=f"Đảng viên {i:02d}", admitted_on=start,
                        made_official_on=official if official <= timezone.localdate() else None,
                        placed_on=max(start, D(2012, 1, 1)),
                        birth_date=D(start.year - 30, 1, 1))
        extra += _vary(m, rng)
        if rng.random() < 0.1:
            Member.objects.filter(pk=m.pk).update(status=rng.choice((MemberStatus.DIED, MemberStatus.REMOVED)))
    for award in AWARDS:  # the decision reaches the first milestone, the ceremony does not
        last = R.badge_start_limits(award, R.rules_on(award))[-1][1]
        m = make_member(cells[0], name="Đảng viên quyết định sớm", admitted_on=last + dt.timedelta(days=5),
                        placed_on=D(2012, 1, 1), birth_date=D(last.year - 30, 1, 1))
        m.events.filter(kind=E.ADMITTED).update(decision_date=last - dt.timedelta(days=5))
    MemberEvent.objects.bulk_create(extra)

    members = members_in_subtree(tree["H01"])
    for award in AWARDS:
        expected = []
        for m in members.filter(status__in=ACTIVE_STATUSES).select_related("cell").order_by("admitted_on", "sort_key", "pk"):
            due = badge_due(m, award)
            if due is not None:
                expected.append((m.code, due, m.cell.code))
        assert expected, "the records make some badges due"
        rows = badge_rows_due_among(members, award)
        assert [(r["code"], r["milestone"], r["cell"]["code"]) for r in rows] == expected
        assert [(i.member.code, i.milestone, i.member.cell.code) for i in badges_due_among(members, award)] == expected
