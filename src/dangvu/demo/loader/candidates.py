"""The demo's candidates for admission, at different steps, dated relative to today so that the to-do
page always has something due."""

from __future__ import annotations

import datetime as dt

from dangvu.members.models import Member
from dangvu.organizations import services as org_services
from dangvu.organizations.models import Organization

#: (name, sex, ethnicity, birth date, how far along: the number of steps of CANDIDATE_STEPS done)
DEMO_CANDIDATES = [
    ("Lầu Thị Chia", "F", "Mông", dt.date(2001, 4, 12), 1),
    ("Quàng Văn Pánh", "M", "Thái", dt.date(1996, 9, 3), 4),
    ("Vì Thị Lả", "F", "Thái", dt.date(1999, 1, 20), 5),
    ("Lò Văn Khằm", "M", "Khơ Mú", dt.date(1994, 11, 8), 7),
]


def write_candidates(today: dt.date) -> int:
    """Candidates in a village cell with enough official members: one only proposed, one with a
    complete file, one approved by the chi bộ, one with its admission decision, awaiting the ceremony."""
    from dangvu.admission import services as C
    from dangvu.admission.selectors import cell_vote_counts
    from dangvu.core.calendar import add_working_days
    from dangvu.members.models import MemberStatus
    from dangvu.organizations.models import OrganizationKind

    cells = Organization.objects.filter(kind=OrganizationKind.SUBORDINATE_CELL, dissolved_on__isnull=True,
                                        code__startswith="NP-", name__contains="bản")
    cell = next((c for c in cells.order_by("code")
                 if Member.objects.filter(cell=c, status=MemberStatus.OFFICIAL,
                                          made_official_on__lt=today - dt.timedelta(days=800)).count() >= 5), None)
    if cell is None:
        return 0
    introducers = list(Member.objects.filter(cell=cell, status=MemberStatus.OFFICIAL,
                                             made_official_on__lt=today - dt.timedelta(days=800))[:2])
    for i, (name, sex, ethnicity, birth, done) in enumerate(DEMO_CANDIDATES):
        # the latest step lies a few days before today; the earlier ones follow the usual pace before it
        vote_on = today - dt.timedelta(days={5: 20, 7: 45}.get(done, 0))
        dossier_on = today - dt.timedelta(days=10) if done == 4 else vote_on - dt.timedelta(days=4)
        start = dossier_on - dt.timedelta(days=60) if done >= 2 else today - dt.timedelta(days=20)
        c = C.candidate_propose(cell=cell, proposed_on=start, full_name=name, birth_date=birth, sex=sex,
                                ethnicity=ethnicity, occupation="Nông dân" if i % 2 else "Giáo viên")
        if done < 2:
            continue
        C.candidate_record_course(c, issued_on=start + dt.timedelta(days=14), certificate_number=f"{30 + i}/CN",
                                  issued_by="Trung tâm Chính trị huyện Nậm Pồ")
        C.candidate_accept_sympathizer(c, on=start + dt.timedelta(days=21))
        on = start + dt.timedelta(days=28)
        C.candidate_record_document(c, key="1-KNĐ", received_on=on)
        C.candidate_record_document(c, key="biography", received_on=on + dt.timedelta(days=3))
        C.candidate_record_background_check(c, on=on + dt.timedelta(days=10), result="clear", checked_by="Chi ủy")
        C.candidate_record_introducers(c, on=on + dt.timedelta(days=12),
                                       introducers=[C.IntroducerInput(p, 24) for p in introducers])
        C.candidate_record_comments(c, on=on + dt.timedelta(days=14), from_organizations="Đoàn xã: đồng ý",
                                    from_residence="Chi bộ bản: đồng ý")
        C.candidate_complete_dossier(c, on=dossier_on)
        if done < 5:
            continue
        counts = cell_vote_counts(cell, vote_on)
        due = counts["official"]
        C.candidate_cell_vote(c, on=vote_on, vote=C.Vote(due, due, due, excluded=counts["excluded"]))
        if done < 7:
            continue
        committee_on = add_working_days(vote_on, 5)
        C.candidate_committee_vote(c, on=committee_on, vote=C.Vote(9, 9, 9))
        decided = add_working_days(committee_on, 10)
        C.candidate_decide(c, decision=org_services.Decision(f"{200 + i}-QĐ/ĐU", decided, "Ban Thường vụ"),
                           received_on=decided)
    return len(DEMO_CANDIDATES)
