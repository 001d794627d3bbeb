"""The to-do lists are complete: counted, paged on a page of their own, downloadable as .xlsx."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from dangvu.lifecycle import worklist
from dangvu.members.models import Member

TODAY = dt.date.today()


@pytest.fixture
def without_cards(tree, make_member):
    """60 official members without a party card (the first named as a spreadsheet formula, as stored
    before such names were refused)."""
    names = [f"Lò Văn {i:02d}" for i in range(60)]
    members = [make_member(tree["C01"], name=n, made_official_on=dt.date(2016, 5, 19)) for n in names]
    Member.objects.filter(pk=members[0].pk).update(full_name="=1+2 Lò Văn Ẩn")
    return members


def test_the_counts_are_of_the_whole_lists_not_of_the_rows_shown(tree, organizer, without_cards):
    work = worklist.worklist(organizer, TODAY, limit=25)
    assert len(work["cards"]) == 25 and work["counts"]["cards"] == {"total": 60, "overdue": 0}


def test_the_todo_page_says_how_many_are_shown_and_links_to_the_whole_list(client, organizer, without_cards):
    client.force_login(organizer)
    html = client.get("/lifecycle/todo/").content.decode()
    cards = html.split('id="todo-cards"')[1]
    assert "25 / 60" in cards and 'href="/lifecycle/todo/cards/"' in cards
    assert 'href="/lifecycle/todo/cards/?format=xlsx"' in cards


def test_the_whole_list_is_paged(client, organizer, without_cards):
    client.force_login(organizer)
    first = client.get("/lifecycle/todo/cards/").content.decode()
    second = client.get("/lifecycle/todo/cards/?page=2").content.decode()
    shown = [m.code for m in without_cards if f"/members/{m.code}/" in first]
    more = [m.code for m in without_cards if f"/members/{m.code}/" in second]
    assert len(shown) == 50 and len(more) == 10 and not set(shown) & set(more)
    assert client.get("/lifecycle/todo/nothing/").status_code == 404


def test_the_whole_list_downloads_as_xlsx_with_names_as_text(client, organizer, without_cards):
    client.force_login(organizer)
    response = client.get("/lifecycle/todo/cards/?format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 60
    formula = next(c for c in ws["B"] if c.value and str(c.value).startswith("=1+2"))
    assert formula.data_type == "s"  # written as text, never a formula


def test_the_lists_of_another_commune_are_not_mine(client, tree, make_user, without_cards):
    client.force_login(make_user("khac", tree["X02"], role="organizer"))
    assert worklist.todo_counts(make_user("khac2", tree["X02"]), TODAY)["cards"]["total"] == 0
    ws = load_workbook(io.BytesIO(client.get("/lifecycle/todo/cards/?format=xlsx").content)).active
    assert list(ws.iter_rows(min_row=4, values_only=True)) == []


@pytest.mark.parametrize("key", ["candidates", "transfers", "discipline_cases", "probations", "assessment", "badges",
                                 "cards"])
def test_every_list_downloads_even_empty_named_in_vietnamese(client, organizer, key):
    client.force_login(organizer)
    response = client.get(f"/lifecycle/todo/{key}/?format=xlsx")  # a title with ":" is no valid sheet name
    assert response.status_code == 200 and load_workbook(io.BytesIO(response.content)).active.title
    name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert name.startswith("viec-can-lam-") and name.endswith(".xlsx") and key.split("_")[0] not in name, name
    heads = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, max_row=3, values_only=True))
    assert "Ngày mở vụ việc" not in heads or key == "discipline_cases", heads  # a case's wording, not a cycle's
    assert all(not h or h[0].isupper() or h[0].isdigit() for h in heads), heads


def test_the_dashboards_overdue_figure_opens_the_list_of_exactly_those_items(client, tree, make_member, organizer):
    """"2 official recognitions overdue" on the dashboard opens a list of those 2, not of every probation
    ending; the filter is kept by the download, and a list without time limits ignores it."""
    from dangvu.lifecycle import todo

    overdue = [make_member(tree["C01"], admitted_on=todo.R.add_months(TODAY, -14), birth_date=dt.date(1990, 1, 1))
               for _ in range(2)]
    soon = make_member(tree["C01"], admitted_on=todo.R.add_months(TODAY, -12) + dt.timedelta(days=10),
                       birth_date=dt.date(1990, 1, 1))
    client.force_login(organizer)
    dashboard = client.get("/").content.decode().split('id="dashboard-warnings"')[1]
    assert 'href="/lifecycle/todo/probations/?overdue=1"' in dashboard
    whole = client.get("/lifecycle/todo/probations/").content.decode()
    only = client.get("/lifecycle/todo/probations/?overdue=1").content.decode()
    assert all(f"/members/{m.code}/" in whole for m in [*overdue, soon])
    assert all(f"/members/{m.code}/" in only for m in overdue) and f"/members/{soon.code}/" not in only
    assert "chỉ mục quá hạn" in only and 'href="?overdue=1&amp;format=xlsx"' in only
    ws = load_workbook(io.BytesIO(client.get("/lifecycle/todo/probations/?overdue=1&format=xlsx").content)).active
    assert len(list(ws.iter_rows(min_row=4, values_only=True))) == 2 and ws.title == "Việc cần làm"
    cards = client.get("/lifecycle/todo/cards/?overdue=1").content.decode()
    assert "quá hạn" not in cards.split("<main")[1]  # no time limit: no filter, nothing to toggle


def test_the_badge_list_file_is_named_by_the_award_occasion_not_by_today(client, organizer):
    """The badge list's title says the award occasion ("đến hạn trao ngày 03/02/…"); its file name
    carries that occasion too, never today's date in its place."""
    from django.utils import timezone

    from dangvu.lifecycle import todo

    client.force_login(organizer)
    today = timezone.localdate()
    award = todo.next_award_date(today)
    response = client.get("/lifecycle/todo/badges/?format=xlsx")
    name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    assert f"{award:%d%m%Y}" in name, name
    assert award == today or f"{today:%d%m%Y}" not in name, name
