"""A candidate walked from quần chúng ưu tú to official member in a real browser, as the people who
record each step would: the chi bộ secretary proposes the person and puts the admission file
together, the secretary of the đảng ủy cơ sở records its vote, the district Ban tổ chức records the
decision, the chi bộ the ceremony, and after the 12 months of probation the Ban tổ chức recognises
the member from the to-do page. After every step the candidate board and the to-do page are opened
to see what changed (the next step, who must act, the probation, the card not yet issued).

Only the tree, the two introducers and the users are set up through services; every step is
clicked and typed. The dates are in the past, computed from today with the working-day calendar,
so that the chi bộ vote falls about 14 months ago, the decision and the ceremony within their time
limits after it, and the probation has ended by today.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.e2e import auth

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-khau-an-toan-2026"
NAME = "Hoàng Thị Mai"
MEMBER_CODE = "DV100"
SECRETARY = "bithu.nahy1"  # Bí thư chi bộ bản Nà Hỳ 1 (C01)
COMMITTEE_SECRETARY = "bithu.xanahy"  # Bí thư Đảng ủy xã Nà Hỳ (X01, đảng ủy cơ sở)
ORGANIZER = "bantochuc.huyen"  # Ban tổ chức Huyện ủy (H01)


# --------------------------------------------------------------------------------------------
# Dates


def _on_or_before(day: dt.date) -> dt.date:
    from dangvu.core.calendar import is_working_day

    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _on_or_after(day: dt.date) -> dt.date:
    from dangvu.core.calendar import is_working_day

    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def walk_dates(today: dt.date) -> dict[str, dt.date]:
    """Working days for every step: the chi bộ vote about 14 months before `today`, the đảng ủy cơ sở
    vote 5 working days later, the decision 20 working days after the chi bộ vote (limit 60) and the
    ceremony 10 working days after the decision (limit 30), early enough that the 12 months of
    probation have ended a few days before `today`."""
    from dangvu import regulations as R
    from dangvu.core.calendar import add_working_days

    cell_vote = _on_or_after(R.add_months(today, -14))
    while True:
        decision = add_working_days(cell_vote, 20)
        ceremony = add_working_days(decision, 10)
        if R.probation_end(ceremony, R.rules_on(ceremony)) <= today - dt.timedelta(days=5):
            break
        cell_vote = _on_or_before(cell_vote - dt.timedelta(days=1))
    d = {
        "proposed": _on_or_before(cell_vote - dt.timedelta(days=110)),
        "course": _on_or_before(cell_vote - dt.timedelta(days=90)),
        "sympathizer": _on_or_before(cell_vote - dt.timedelta(days=75)),
        "documents": _on_or_before(cell_vote - dt.timedelta(days=60)),
        "background": _on_or_before(cell_vote - dt.timedelta(days=40)),
        "introducers": _on_or_before(cell_vote - dt.timedelta(days=30)),
        "comments": _on_or_before(cell_vote - dt.timedelta(days=21)),
        "dossier": _on_or_before(cell_vote - dt.timedelta(days=10)),
        "cell_vote": cell_vote,
        "committee_vote": add_working_days(cell_vote, 5),
        "decision": decision,
        "ceremony": ceremony,
    }
    steps = list(d.values())
    assert steps == sorted(steps) and steps[-1] < today
    for key in ("decision", "ceremony"):
        assert d[key] == _on_or_after(d[key])
    return d


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# --------------------------------------------------------------------------------------------
# Setup (services only for the tree, the introducers and the users)


@pytest.fixture
def commune(tree, make_member):
    from dangvu.accounts.services import user_create

    # the introducers: official members of the chi bộ for years, each with a party card
    make_member(tree["C01"], name="Lường Văn Thắng", admitted_on=dt.date(2013, 3, 2),
                made_official_on=dt.date(2014, 3, 2), code="DV011", card_number="01234567")
    make_member(tree["C01"], name="Quàng Thị Hoa", admitted_on=dt.date(2015, 5, 19), sex="F",
                made_official_on=dt.date(2016, 5, 19), code="DV012", card_number="01234568")
    user_create(username=SECRETARY, organization=tree["C01"], role="secretary", password=PASSWORD,
                full_name="Lò Văn Sơn")
    user_create(username=COMMITTEE_SECRETARY, organization=tree["X01"], role="secretary", password=PASSWORD,
                full_name="Cầm Văn Tuấn")
    user_create(username=ORGANIZER, organization=tree["H01"], role="organizer", password=PASSWORD,
                full_name="Vì Thị Lan")
    return tree


# --------------------------------------------------------------------------------------------
# Browser helpers


class Walk:
    """The browser session, with what it checks on the board, the to-do page and the candidate."""

    def __init__(self, page, base, shot):
        self.page, self.base, self.shot = page, base, shot
        self.pk = None

    # --- session ---
    def login(self, username):
        auth.login(self.page, self.base, username, PASSWORD)
        self.page.wait_for_url(f"{self.base}/")

    def logout(self):
        self.page.locator("form.logout button[type=submit]").click()
        self.page.wait_for_url("**/accounts/login/**")

    # --- forms ---
    def submit(self, expected_url: str):
        """Submit the form of the page and land on `expected_url` (a regex); a refusal fails with its text."""
        page = self.page
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        if not re.search(expected_url, page.url):
            refusal = page.locator("#refusal, .alert-error, .field-error")
            text = " | ".join(refusal.all_inner_texts()) if refusal.count() else page.inner_text("main")
            pytest.fail(f"the form was refused at {page.url}: {text}")

    @property
    def candidate_url(self):
        return f"{self.base}/lifecycle/candidates/{self.pk}/"

    def open_candidate(self):
        self.page.goto(self.candidate_url)

    def step(self, slug, fields: dict, *, name: str, selects: dict | None = None):
        """From the candidate's page, click the button of step `slug`, fill the form, submit it and
        come back to the candidate's page with the success message."""
        page = self.page
        self.open_candidate()
        page.locator(f"#steps a[href$='/{slug}/']").click()
        page.wait_for_url(f"**/lifecycle/candidates/{self.pk}/{slug}/**")
        for selector, value in (selects or {}).items():
            page.select_option(selector, value)
        for selector, value in fields.items():
            page.fill(selector, value)
        self.shot(f"{name}-form")
        self.submit(rf"/lifecycle/candidates/{self.pk}/$")
        assert page.locator(".messages .alert-success").is_visible()
        self.shot(name)

    # --- what the pages show ---
    def candidate_page(self, *, stage: str, next_step: str | None, responsible: str | None = None,
                       can_act: bool | None = True):
        page = self.page
        if not page.url.endswith(f"/lifecycle/candidates/{self.pk}/"):
            self.open_candidate()
        assert page.locator("#stage").inner_text().strip() == stage
        if next_step is None:
            assert page.locator("#pending").count() == 0
            return
        assert page.locator("#pending h2").inner_text().endswith(next_step)
        if responsible:
            assert responsible in page.locator("#pending dl").inner_text()
        primary = page.locator("#steps a.btn-primary")
        if can_act:
            assert primary.count() == 1
        elif can_act is False:
            assert primary.count() == 0
            assert page.locator("#steps .muted").inner_text().strip()  # why the user cannot act

    def board(self, name, *, stage: str | None, next_step: str = "", responsible: str = ""):
        """The candidate board: the candidate's row in the section of `stage` (none: not on the board)."""
        page = self.page
        page.goto(f"{self.base}/lifecycle/candidates/")
        rows = page.locator("section[id^='stage-'] tbody tr", has_text=NAME)
        if stage is None:
            assert rows.count() == 0
            self.shot(f"{name}-board")
            return
        assert rows.count() == 1
        row = page.locator(f"#stage-{stage} tbody tr", has_text=NAME)
        assert row.count() == 1
        text = row.inner_text()
        assert next_step in text and responsible in text, text
        row.scroll_into_view_if_needed()
        self.shot(f"{name}-board")

    def todo(self, name, *, candidate: tuple[str, str] | None = None, overdue: bool = False,
             probation: bool = False, recognise: bool = False, card: bool = False):
        """The to-do page: the candidate's step due (next step, who must act), the probation ending,
        the official member without a card."""
        page = self.page
        page.goto(f"{self.base}/lifecycle/todo/")
        row = page.locator("#todo-candidates tbody tr", has_text=NAME)
        if candidate:
            assert row.count() == 1
            text = row.inner_text()
            assert candidate[0] in text and candidate[1] in text, text
            assert (row.locator(".badge-warning").count() == 1) is overdue
        else:
            assert row.count() == 0
        prob = page.locator("#todo-probations tbody tr", has_text=NAME)
        assert prob.count() == (1 if probation else 0)
        if probation:
            assert (prob.locator("a[href*='/recognize/?next=']").count() == 1) is recognise
        assert page.locator("#todo-cards tbody tr", has_text=NAME).count() == (1 if card else 0)
        # the screenshot shows the list that holds the person
        section = "#todo-cards" if card else "#todo-probations" if probation else "#todo-candidates"
        page.locator(section).scroll_into_view_if_needed()
        self.shot(f"{name}-todo")


# --------------------------------------------------------------------------------------------
# The walk


def test_candidate_walked_from_outstanding_mass_to_official_member(page, live_server, commune, shot):
    from django.utils import timezone

    from dangvu import regulations as R
    from dangvu.accounts.models import Role
    from dangvu.admission import selectors as S
    from dangvu.admission.models import Candidate, CandidateStage, StepKind
    from dangvu.members.models import Member, MemberStatus

    tree = commune
    today = timezone.localdate()
    d = walk_dates(today)
    w = Walk(page, live_server.url, shot)
    St, K = CandidateStage, StepKind

    def label(choice) -> str:
        return str(choice.label)

    def owner(org, role=Role.SECRETARY) -> str:
        return f"{Role(role).label} · {org.name}"

    cell_secretary = owner(tree["C01"])
    committee_secretary = owner(tree["X01"])
    deciding = S.deciding_org(tree["C01"], S.deciding_authority(R.rules_on(d["committee_vote"])))
    decider = owner(deciding, Role.ORGANIZER)

    # --- the chi bộ secretary proposes an outstanding person of the masses ---------------------
    w.login(SECRETARY)
    w.todo("cw-00", candidate=None)  # nothing yet
    page.goto(f"{live_server.url}/lifecycle/candidates/")
    page.locator(".page-actions a[href$='/lifecycle/candidates/new/']").click()
    page.wait_for_url("**/lifecycle/candidates/new/")
    page.click("#id_cell_search")  # the chi bộ is found by its name
    page.keyboard.type("na hy 1")
    page.keyboard.press("Enter")
    assert page.input_value("input[name=cell]") == "C01"
    page.fill("#id_proposed_on", dmy(d["proposed"]))
    page.fill("#id_full_name", NAME)
    page.fill("#id_birth_date", "14/08/1998")
    page.select_option("#id_sex", "F")
    page.select_option("#id_ethnicity", label="Thái")
    page.fill("#id_occupation", "Giáo viên mầm non")
    page.fill("#id_general_education", "12/12")
    shot("cw-01-propose-form")
    w.submit(r"/lifecycle/candidates/\d+/$")
    w.pk = int(re.search(r"/candidates/(\d+)/$", page.url).group(1))
    shot("cw-01-proposed")
    w.candidate_page(stage=label(St.OUTSTANDING_MASS), next_step=label(K.AWARENESS_COURSE),
                     responsible=cell_secretary)
    w.board("cw-01", stage=St.OUTSTANDING_MASS, next_step=label(K.AWARENESS_COURSE), responsible=cell_secretary)
    # no time limit runs before the course: nothing on the to-do page yet
    w.todo("cw-01", candidate=None)

    # --- the political-awareness course ---------------------------------------------------------
    w.step("course", {"#id_issued_on": dmy(d["course"]), "#id_certificate_number": "215/GCN-TTCT",
                      "#id_issued_by": "Trung tâm Chính trị huyện Mường Lay"}, name="cw-02-course")
    w.candidate_page(stage=label(St.AWARENESS_COURSE_DONE), next_step=label(K.SYMPATHIZER),
                     responsible=cell_secretary)
    w.board("cw-02", stage=St.AWARENESS_COURSE_DONE, next_step=label(K.SYMPATHIZER), responsible=cell_secretary)
    # the certificate is valid for years: its expiry is the due date, far beyond the to-do horizon
    w.todo("cw-02", candidate=None)

    # --- cảm tình đảng ---------------------------------------------------------------------------
    w.step("sympathizer", {"#id_effective_on": dmy(d["sympathizer"])}, name="cw-03-sympathizer")
    w.candidate_page(stage=label(St.SYMPATHIZER), next_step=label(K.DOSSIER_COMPLETE), responsible=cell_secretary)
    w.board("cw-03", stage=St.SYMPATHIZER, next_step=label(K.DOSSIER_COMPLETE), responsible=cell_secretary)

    # the dossier cannot be declared complete yet: the page says what is missing
    w.open_candidate()
    missing = page.locator("#pending .requirements .badge-warning")
    assert missing.count() >= 5  # 1-KNĐ, 2-KNĐ, 3-KNĐ, 5-KNĐ, background check, introducers
    assert page.locator("#checklist .badge-warning").count() == 7  # 1-KNĐ to 9-KNĐ: all but the certificate
    assert page.locator("#checklist .badge-official").count() == 1

    # --- the papers of the file: 1-KNĐ and 2-KNĐ --------------------------------------------------
    for key, number in (("application", "05"), ("biography", "06")):
        w.step("document", {"#id_received_on": dmy(d["documents"]), "#id_document_date": dmy(d["documents"])},
               selects={"#id_key": key}, name=f"cw-{number}-document-{key}")
        row = page.locator("#checklist tbody tr", has_text={"application": "1-KNĐ", "biography": "2-KNĐ"}[key])
        assert row.locator(".badge-official").count() == 1
        assert dmy(d["documents"]) in row.inner_text()

    # --- background check, introducers, comments ---------------------------------------------------
    w.step("background-check", {"#id_effective_on": dmy(d["background"]),
                                "#id_checked_by": "Chi ủy chi bộ bản Nà Hỳ 1"},
           selects={"#id_result": "clear"}, name="cw-07-background-check")
    w.step("introducers", {"#id_effective_on": dmy(d["introducers"]), "#id_introducer_1": "DV011",
                           "#id_months_1": "36", "#id_introducer_2": "DV012", "#id_months_2": "24"},
           name="cw-08-introducers")
    assert page.locator("#timeline", has_text="Lường Văn Thắng (DV011)").count() == 1
    w.step("comments", {"#id_effective_on": dmy(d["comments"]),
                        "#id_from_organizations": "Công đoàn trường mầm non Nà Hỳ nhận xét tốt.",
                        "#id_from_residence": "Chi ủy chi bộ bản Nà Hỳ 2 (nơi cư trú) nhận xét tốt."},
           name="cw-09-comments")
    w.open_candidate()
    assert page.locator("#pending .requirements .badge-warning").count() == 0  # all met now
    assert page.locator("#checklist tbody tr", has_text="6-KNĐ").locator(".badge-warning").count() == 1
    shot("cw-09-file-ready")

    # --- the dossier is complete; the chi bộ votes ------------------------------------------------
    w.step("complete-dossier", {"#id_effective_on": dmy(d["dossier"])}, name="cw-10-dossier-complete")
    w.candidate_page(stage=label(St.DOSSIER_COMPLETE), next_step=label(K.CELL_VOTE), responsible=cell_secretary)
    w.board("cw-10", stage=St.DOSSIER_COMPLETE, next_step=label(K.CELL_VOTE), responsible=cell_secretary)
    w.todo("cw-10", candidate=None)

    w.open_candidate()
    page.locator("#steps a[href$='/cell-vote/']").click()
    page.wait_for_url("**/cell-vote/")
    assert page.input_value("#id_votes_due") == "2"  # the registry's official members of the chi bộ today
    w.step("cell-vote", {"#id_effective_on": dmy(d["cell_vote"]), "#id_votes_due": "2", "#id_votes_excluded": "0",
                         "#id_votes_present": "2", "#id_votes_for": "2"}, name="cw-11-cell-vote")
    assert page.locator("#timeline", has_text=dmy(d["cell_vote"])).count() == 1
    # the chi bộ secretary sees the next step belongs to the đảng ủy cơ sở, and cannot record it
    w.candidate_page(stage=label(St.CELL_APPROVED), next_step=label(K.COMMITTEE_VOTE),
                     responsible=committee_secretary, can_act=False)
    w.board("cw-11", stage=St.CELL_APPROVED, next_step=label(K.COMMITTEE_VOTE), responsible=committee_secretary)
    # now a time limit runs (the decision within 60 working days of the chi bộ resolution), long past:
    # the step is on the to-do page, overdue, with who must act
    w.todo("cw-11", candidate=(label(K.COMMITTEE_VOTE), committee_secretary), overdue=True)
    assert page.goto(f"{live_server.url}/lifecycle/candidates/{w.pk}/committee-vote/").status == 403
    w.logout()

    # --- the đảng ủy cơ sở votes -----------------------------------------------------------------------
    w.login(COMMITTEE_SECRETARY)
    w.todo("cw-12-before", candidate=(label(K.COMMITTEE_VOTE), committee_secretary), overdue=True)
    page.locator("#todo-candidates a", has_text=NAME).click()
    page.wait_for_url(f"**/lifecycle/candidates/{w.pk}/")
    w.step("committee-vote", {"#id_effective_on": dmy(d["committee_vote"]), "#id_votes_due": "9",
                              "#id_votes_present": "8", "#id_votes_for": "8"}, name="cw-12-committee-vote")
    # (whether this secretary may record the decision follows the rules in force today, not those of the
    # back-dated stage: under QĐ 208 the đảng ủy cơ sở decides; not checked here)
    w.candidate_page(stage=label(St.COMMITTEE_APPROVED), next_step=label(K.DECISION), responsible=decider,
                     can_act=None)
    w.board("cw-12", stage=St.COMMITTEE_APPROVED, next_step=label(K.DECISION), responsible=decider)
    w.todo("cw-12", candidate=(label(K.DECISION), decider), overdue=True)
    w.logout()

    # --- the district Ban tổ chức records the admission decision --------------------------------------
    w.login(ORGANIZER)
    w.todo("cw-13-before", candidate=(label(K.DECISION), decider), overdue=True)
    page.locator("#todo-candidates a", has_text=NAME).click()
    page.wait_for_url(f"**/lifecycle/candidates/{w.pk}/")
    w.step("decision", {"#id_decision_number": "1254-QĐ/HU", "#id_decision_date": dmy(d["decision"]),
                        "#id_received_on": dmy(d["decision"])}, name="cw-13-decision")
    assert page.locator("#timeline", has_text="1254-QĐ/HU").count() == 1
    w.candidate_page(stage=label(St.ADMISSION_DECIDED), next_step=label(K.CEREMONY), responsible=cell_secretary)
    w.board("cw-13", stage=St.ADMISSION_DECIDED, next_step=label(K.CEREMONY), responsible=cell_secretary)
    w.todo("cw-13", candidate=(label(K.CEREMONY), cell_secretary), overdue=True)
    w.logout()

    # --- the chi bộ holds the admission ceremony: a probationary member ----------------------------------
    w.login(SECRETARY)
    w.todo("cw-14-before", candidate=(label(K.CEREMONY), cell_secretary), overdue=True)
    w.step("ceremony", {"#id_effective_on": dmy(d["ceremony"]), "#id_member_code": MEMBER_CODE},
           name="cw-14-ceremony")
    w.candidate_page(stage=label(St.ADMITTED), next_step=None)
    assert page.locator(f".page-actions a[href$='/members/{MEMBER_CODE}/']").count() == 1
    w.board("cw-14", stage=None)
    assert page.locator(".stats .stat-value").nth(2).inner_text().strip() == "1"  # admitted through the pipeline
    probation_end = R.probation_end(d["ceremony"], R.rules_on(d["ceremony"]))
    w.todo("cw-14", candidate=None, probation=True, recognise=True)
    row = page.locator("#todo-probations tbody tr", has_text=NAME)
    assert dmy(d["ceremony"]) in row.inner_text() and dmy(probation_end) in row.inner_text()
    page.locator("#todo-probations a", has_text=NAME).click()
    page.wait_for_url(f"**/members/{MEMBER_CODE}/")
    assert page.locator(".member-head .badge-probationary").count() == 1
    shot("cw-14-member-probationary")
    # from the member's admission event back to the admission file
    page.locator("a.admission-file").click()
    page.wait_for_url(f"**/lifecycle/candidates/{w.pk}/")
    member = Member.objects.get(code=MEMBER_CODE)
    assert (member.status, member.admitted_on, member.cell.code) == (MemberStatus.PROBATIONARY, d["ceremony"], "C01")
    assert Candidate.objects.get(pk=w.pk).member == member
    w.logout()

    # --- twelve months on: the Ban tổ chức recognises the member from the to-do page -------------------
    w.login(ORGANIZER)
    w.todo("cw-15-before", probation=True, recognise=True)
    page.locator("#todo-probations tbody tr", has_text=NAME).locator("a[href*='/recognize/?next=']").click()
    page.wait_for_url(f"**/lifecycle/members/{MEMBER_CODE}/recognize/?next=**")  # back to the to-do list after
    page.fill("#id_decided_on", dmy(today))
    page.fill("#id_due", "2")
    page.fill("#id_present", "2")
    page.fill("#id_votes_for", "2")
    page.fill("#id_decision_number", "1388-QĐ/HU")
    page.fill("#id_decision_date", dmy(today))
    page.fill("#id_issued_by", "Ban Thường vụ Huyện ủy Mường Lay")
    shot("cw-15-recognize-form")
    w.submit(r"/lifecycle/todo/$")
    assert page.locator(".messages .alert-success").is_visible()
    shot("cw-15-recognized")
    # the probation entry is gone; the official member without a party card appears
    w.todo("cw-15", probation=False, card=True)
    row = page.locator("#todo-cards tbody tr", has_text=NAME)
    assert dmy(probation_end) in row.inner_text()
    assert row.locator(f"a[href*='/lifecycle/members/{MEMBER_CODE}/card/?next=']").count() == 1
    page.locator("#todo-cards a", has_text=NAME).click()
    page.wait_for_url(f"**/members/{MEMBER_CODE}/")
    assert page.locator(".member-head .badge-official").inner_text().strip() == str(MemberStatus.OFFICIAL.label)
    shot("cw-16-member-official")
    member.refresh_from_db()
    assert (member.status, member.made_official_on) == (MemberStatus.OFFICIAL, probation_end)
