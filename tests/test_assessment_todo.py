"""The assessment on the to-do page: open cycles with ratings still to decide, their time limit from the
rules (UNCONFIRMED, settable), overdue ones among the dashboard's warnings."""

from __future__ import annotations

import datetime as dt

from dangvu import regulations as R
from dangvu.assessment.selectors import cycles_due
from dangvu.assessment.services import RatingDecision, cycle_open, ratings_decide, record_rating
from dangvu.core.audit import audit_context
from dangvu.lifecycle import worklist

D = dt.date


def test_the_decision_deadlines_are_unconfirmed_defaults_an_administrator_may_set():
    rules = R.assessment_rules(2026, {})
    assert rules.decision_deadline(2026, superior=False) == D(2026, 12, 31)
    assert rules.decision_deadline(2026, superior=True) == D(2027, 1, 31)
    assert {"deadline_grassroots_days", "deadline_superior_days"} <= rules.unconfirmed
    assert "tài liệu quy tắc nghiệp vụ §7.6" in rules.sources["deadline_grassroots_days"]  # Vietnamese by default
    set_ = R.assessment_rules(2026, {"deadline_grassroots_days": 15})
    assert set_.decision_deadline(2026, superior=False) == D(2027, 1, 15) and set_.overridden == (
        "deadline_grassroots_days",)


def test_open_cycles_with_ratings_to_decide_are_due_then_overdue(tree, make_member, make_user, client, settings,
                                                                 tmp_path):
    from django.utils import timezone

    today = timezone.localdate()
    y = today.year
    with audit_context(source="system"):
        members = [make_member(tree["C01" if i % 2 else "C02"], made_official_on=D(2016, 5, 19)) for i in range(4)]
        grassroots = cycle_open(organization=tree["X01"], year=y, opened_on=today)
        district = cycle_open(organization=tree["H01"], year=y, opened_on=today)
        done = cycle_open(organization=tree["X02"], year=y - 1, opened_on=D(y - 1, 11, 16))
    record_rating(year=y - 1, label="HTTNV", member=members[0])  # last year's rating: still to decide this year
    ratings_decide(cycle=grassroots, decided_on=today,
                   decisions=[RatingDecision(member=members[1], key="good", points=80)])
    record_rating(year=y, label="HTTNV", organization=tree["C01"])
    user = make_user("bantochuc", tree["H01"])
    due = {d.cycle.pk: d for d in cycles_due(user, today)}
    assert done.pk not in due  # X02 has no member to rate: nothing left
    x01 = due[grassroots.pk]
    assert (x01.members_pending, x01.cells_pending, x01.organizations_pending) == (3, 1, 0)
    assert x01.deadline == D(y, 12, 31) and not x01.overdue and x01.deadline_unconfirmed
    h01 = due[district.pk]
    assert (h01.members_pending, h01.cells_pending, h01.organizations_pending) == (0, 0, 2)
    assert h01.deadline == D(y + 1, 1, 31)
    assert [d.overdue for d in cycles_due(user, D(y + 1, 1, 5))] == [True, False]  # X01 first: the earlier limit
    # a user of X02 sees none of them
    assert cycles_due(make_user("bithu", tree["X02"], "secretary"), today) == []
    # the to-do page, its list and download, the dashboard's warnings: the same figures
    assert worklist.todo_counts(user, D(y + 1, 1, 5), keys=("assessment",)) == {"assessment": {"total": 2, "overdue": 1}}
    client.force_login(user)
    page = client.get("/lifecycle/todo/").content.decode()
    assert 'id="todo-assessment"' in page and f'data-cycle="{grassroots.pk}"' in page
    assert f'href="/assessment/{grassroots.pk}/"' in page  # the cycle's page
    xlsx = client.get("/lifecycle/todo/assessment/", {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "/lifecycle/todo/assessment/" not in client.get("/").content.decode()  # nothing overdue yet
    days = (today - D(y, 12, 31)).days - 1  # the limit set to yesterday: overdue
    settings.DANGVU_RULES_FILE = tmp_path / "rules.toml"
    settings.DANGVU_RULES_FILE.write_text(f"deadline_grassroots_days = {days}\n")
    dashboard = client.get("/").content.decode()
    assert "/lifecycle/todo/assessment/" in dashboard


def test_a_cell_secretary_has_his_cells_proposals_to_make_in_the_grassroots_cycle(tree, make_member, make_user,
                                                                                   client):
    """X01 runs the cycle, C01's secretary proposes: his to-do counts his chi bộ until all its members
    are proposed (or rated), links to its sheet, and shows nothing of C02."""
    from django.utils import timezone

    from dangvu.assessment.services import Proposal, cell_reviews_record

    today = timezone.localdate()
    with audit_context(source="system"):
        c1 = [make_member(tree["C01"], made_official_on=D(2016, 5, 19)) for _i in range(3)]
        make_member(tree["C02"], made_official_on=D(2016, 5, 19))
        cycle = cycle_open(organization=tree["X01"], year=today.year, opened_on=today)
    user = make_user("bithu_c01", tree["C01"], "secretary")
    due = cycles_due(user, today)
    assert [(d.cycle, d.cell["code"], d.proposals_pending, d.members_pending) for d in due] == [(cycle, "C01", 3, 0)]
    assert due[0].deadline == D(today.year, 12, 31)
    assert worklist.todo_counts(user, today, keys=("assessment",)) == {"assessment": {"total": 1, "overdue": 0}}
    client.force_login(user)
    page = client.get("/lifecycle/todo/").content.decode()
    assert f'href="/assessment/{today.year}/cells/C01/"' in page and f'href="/assessment/{cycle.pk}/"' not in page
    assert "3 đảng viên chưa có đề xuất của chi bộ" in page
    assert "Đánh giá, xếp loại chất lượng: còn chưa đề xuất, chưa quyết định" in page  # not only "to decide"
    api = client.get("/api/lifecycle/todo/").json()["assessment"]
    assert [(a["cell"], a["proposals_pending"]) for a in api] == [("C01", 3)]
    assert client.get("/lifecycle/todo/assessment/", {"format": "xlsx"}).status_code == 200
    cell_reviews_record(cycle=cycle, cell=tree["C01"], effective_on=today, comment="Thống nhất", votes_due=3, votes_present=3,
                        proposals=[Proposal(member=m, points=80, votes_for=3) for m in c1[:2]])
    assert [d.proposals_pending for d in cycles_due(user, today)] == [1]
    ratings_decide(cycle=cycle, decided_on=today, decisions=[RatingDecision(member=c1[2], key="good", points=80)])
    assert cycles_due(user, today) == []  # all proposed or rated
    assert cycles_due(make_user("bantochuc", tree["X01"]), today)[0].cell is None  # the commune's: its own cycle


def test_the_to_do_counts_those_to_rate_as_the_progress_page_does(tree, make_member, make_user):
    """A member admitted too recently to be rated (QĐ 124: under 6 months before the year's end) is
    not among the members to rate of the progress page: the to-do leaves them out as well, for the
    grassroots committee's decisions and for the chi bộ's proposals."""
    from dangvu.assessment.selectors import progress

    today = D(2024, 12, 2)
    with audit_context(source="system"):
        make_member(tree["C01"], made_official_on=D(2016, 5, 19))
        make_member(tree["C01"], admitted_on=D(2024, 9, 1))  # too recent: not rated in 2024
        cycle = cycle_open(organization=tree["X01"], year=2024, opened_on=D(2024, 11, 1))
    organizer = make_user("bantochuc", tree["X01"])
    [row] = [g for g in progress(organizer, 2024, today) if g.code == "X01"]
    assert (row.members, row.to_rate) == (2, 1)
    [due] = cycles_due(organizer, today)
    assert (due.cycle, due.members_pending) == (cycle, 1)
    [due] = cycles_due(make_user("bithu_c01", tree["C01"], "secretary"), today)
    assert (due.cell["code"], due.proposals_pending) == ("C01", 1)


def test_the_to_do_page_states_the_time_limits_the_rules_and_the_lists_use(client, tree, make_user, settings,
                                                                          tmp_path, monkeypatch):
    """The help of the to-do page writes no time limit of its own: the assessment decisions' limits are
    the rules' (as the rules file sets them) and the candidates' horizon is the list's."""
    from django.utils import timezone

    y = timezone.localdate().year
    monkeypatch.setattr(worklist, "CANDIDATE_HORIZON_DAYS", 45)
    settings.DANGVU_RULES_FILE = tmp_path / "rules.toml"
    settings.DANGVU_RULES_FILE.write_text("deadline_grassroots_days = 15\ndeadline_superior_days = 40\n")
    client.force_login(make_user("bantochuc", tree["H01"]))
    page = client.get("/lifecycle/todo/").content.decode()
    assert "đến hạn trong vòng 45 ngày" in page
    assessment = page.split('id="todo-assessment"')[1].split("</p>")[0]
    assert f"kỳ đánh giá năm {y}: 15/01/{y + 1} đối với đảng ủy cơ sở, 09/02/{y + 1} đối với cấp ủy cấp trên" in assessment
    assert "31/12" not in assessment and "31/01" not in assessment
