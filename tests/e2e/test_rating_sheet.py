"""The rating sheet in a real browser: the organizer of a commune rates the 38 members of a chi bộ by
keyboard alone (2 shown greyed as not rated), watching the counter of the cap on "excellent" turn red
and back, and saves with Ctrl+S."""

import datetime as dt
import itertools
import shutil

import pytest
from django.utils import timezone

from tests.e2e.test_walkthrough import PASSWORD, login  # noqa: F401 - shared helpers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FAMILY = ["Nguyễn", "Lò", "Quàng", "Lường", "Cầm", "Vì", "Tòng", "Trần", "Lê", "Phạm"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Ánh", "Bảo", "Ân", "Đông", "Yến", "Thắm", "Sơn", "Ơn"]


@pytest.fixture
def cell_of_38(tree, make_member, make_user):
    from dangvu.assessment.services import cycle_open
    from dangvu.core.audit import audit_context
    from dangvu.members.services import member_record_event

    today = timezone.localdate()
    names = itertools.islice(((f, m, g) for g in GIVEN for m in MIDDLE for f in FAMILY), 0, None, 7)
    with audit_context(source="system"):
        members = [make_member(tree["C01"], name=" ".join(next(names)), code=f"NH{i:03d}",
                               made_official_on=dt.date(2016, 5, 19)) for i in range(37)]
        members.append(make_member(tree["C01"], name="Vàng A Mới", code="NH999", admitted_on=today - dt.timedelta(days=60)))
        member_record_event(members[5], kind="exempted", effective_on=dt.date(today.year, 3, 1))
        cycle_open(organization=tree["X01"], year=today.year, opened_on=today - dt.timedelta(days=5))
    make_user("bantochuc", tree["X01"], "organizer")
    return members


def _counter(page):
    return (page.inner_text("[data-cap-excellent]"), page.inner_text("[data-cap-allowed]"),
            "over" in page.get_attribute("#cap-counter", "class"))


def test_rating_a_cell_of_38_by_keyboard(page, live_server, cell_of_38, shot):
    from dangvu.assessment.models import Rating
    from dangvu.members.models import Member

    year = timezone.localdate().year
    login(page, live_server)
    page.goto(f"{live_server.url}/assessment/{year}/cells/C01/?step=decide")
    rows = page.locator("#sheet-table tbody tr")
    assert rows.count() == 38
    codes = [rows.nth(i).get_attribute("data-member") for i in range(38)]
    assert codes == list(Member.objects.filter(cell__code="C01").order_by("sort_key", "id").values_list("code", flat=True))
    assert page.locator("tr.not-rated").count() == 2
    assert "miễn" in page.locator("tr.not-rated").first.inner_text().lower() or \
        "miễn" in page.locator("tr.not-rated").last.inner_text().lower()
    assert _counter(page) == ("0", "0", False)
    shot("rating-sheet-empty")

    # the scale of the year has points (QĐ 366): every member's score typed, Enter to the next row (the
    # greyed rows skipped); 80 points is "good" by the thresholds
    for _ in range(36):
        page.keyboard.type("80")
        page.keyboard.press("Enter")
    assert _counter(page) == ("0", "7", False)  # 20% of 36 good
    assert set(page.locator("select.level").evaluate_all("els => els.map(e => e.value)")) == {"good"}
    # back to the top by k / ↑, then six "excellent" by their score
    for _ in range(18):
        page.keyboard.press("k")
        page.keyboard.press("ArrowUp")
    for _ in range(6):
        page.keyboard.type("95")
        page.keyboard.press("ArrowDown")
    assert _counter(page) == ("6", "6", False)  # 20% of the 30 still good
    page.keyboard.type("96")  # a seventh: over the cap, the counter turns red
    assert _counter(page) == ("7", "5", True)
    shot("rating-sheet-over-cap")
    page.screenshot(path="/tmp/ratescreen-over-cap.png", full_page=False)
    page.keyboard.press("Control+a")
    page.keyboard.type("88")  # back to good
    assert _counter(page) == ("6", "6", False)
    page.fill("#id_decision_number", "15-QĐ/ĐU")
    page.locator("select.level").nth(7).focus()
    page.screenshot(path="/tmp/ratescreen-within-cap.png", full_page=False)
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    page.screenshot(path="/tmp/ratescreen-after-save.png", full_page=True)
    assert page.locator(".alert-success").is_visible(), page.locator("#sheet-errors, .field-error").all_inner_texts()
    assert Rating.objects.filter(year=year).count() == 36
    assert Rating.objects.filter(year=year, key="excellent").count() == 6
    page.screenshot(path="/tmp/ratescreen-saved.png", full_page=True)
    shot("rating-sheet-saved")

    page.goto(f"{live_server.url}/assessment/progress/?year={year}")
    assert "36" in page.locator('#progress-table tr[data-code="C01"]').inner_text()
    page.screenshot(path="/tmp/ratescreen-progress.png", full_page=True)
    shutil.os.makedirs("/tmp", exist_ok=True)


def test_the_cell_proposes_with_each_members_vote_by_keyboard(page, live_server, cell_of_38, shot):
    """The chi bộ's proposals: the meeting's members due and present come prefilled, every proposal
    unanimous unless a vote is typed; one member's vote typed by keyboard (Tab from the score)."""
    from dangvu.assessment.models import AssessmentStep

    year = timezone.localdate().year
    login(page, live_server)
    page.goto(f"{live_server.url}/assessment/{year}/cells/C01/?step=propose")
    # 37 official members, one exempted: 36 due to vote, all present until told otherwise
    assert (page.input_value("#id_votes_due"), page.input_value("#id_votes_present")) == ("36", "36")
    votes = page.locator("input.votes-for")
    assert votes.count() == 36  # the two not rated have none
    for _ in range(36):
        page.keyboard.type("80")
        page.keyboard.press("Enter")
    for _ in range(32):
        page.keyboard.press("ArrowUp")  # back to the fourth member
    page.keyboard.press("Tab")  # from the score to the votes in favour of that row
    assert page.evaluate("document.activeElement.classList.contains('votes-for')")
    page.keyboard.type("30")
    page.keyboard.press("ArrowDown")  # along the column
    assert page.evaluate("document.activeElement === document.querySelectorAll('input.votes-for')[4]")
    fourth = votes.nth(3).evaluate("e => e.closest('tr').dataset.member")
    page.fill("#id_votes_present", "35")  # one absent: the unanimous rows follow
    assert set(votes.evaluate_all("els => els.map(e => e.placeholder)")) == {"35"}
    page.fill("#id_comment", "Chi bộ thống nhất đề nghị mức xếp loại")
    votes.nth(3).focus()
    shot("rating-sheet-votes")
    page.screenshot(path="/tmp/ratescreen-votes.png", full_page=False)
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    assert page.locator(".alert-success").is_visible(), page.locator("#sheet-errors, .field-error").all_inner_texts()
    steps = AssessmentStep.objects.filter(kind="cell_review")
    assert steps.count() == 36 and set(steps.values_list("votes_due", "votes_present").distinct()) == {(36, 35)}
    assert {code: n for code, n in steps.values_list("member__code", "votes_for") if n != 35} == {fourth: 30}
    assert page.input_value(f'tr[data-member="{fourth}"] input.votes-for') == "30"
