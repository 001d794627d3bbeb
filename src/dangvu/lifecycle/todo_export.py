"""The to-do lists (việc cần làm) as they are titled on the page and exported to .xlsx: one title and
one set of columns per list of `worklist.TODO_KEYS`."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.dates import format_date
from dangvu.core.text import file_slug
from dangvu.core.xlsx import write_table

TITLES = {
    "candidates": gettext_lazy("Candidates: steps due"),
    "transfers": gettext_lazy("Transfers in transit"),
    "discipline_cases": gettext_lazy("Open discipline cases"),
    "probations": gettext_lazy("Probations ending"),
    "assessment": gettext_lazy("Quality assessment: proposals and ratings still to make"),
    "badges": gettext_lazy("Party badges due"),
    "cards": gettext_lazy("Official members without a party card"),
}


def title(key: str, award_date: dt.date, overdue_only: bool = False) -> str:
    if key == "badges":
        return _("Party badges due on %(day)s") % {"day": format_date(award_date)}
    if overdue_only:
        return _("%(list)s: overdue only") % {"list": TITLES[key]}
    return str(TITLES[key])


def _responsible(c) -> str:
    if c.assignee:
        return c.assignee.get_full_name() or c.assignee.get_username()
    return " · ".join(x for x in (c.get_owner_role_display(), c.owner_org.name if c.owner_org else "") if x)


def _columns(key: str) -> list[tuple[str, int, object]]:
    """(label, width, value of a row) for each column of list `key`."""
    name, cell = _("Full name"), _("Party cell")
    code = _("Member code")
    if key == "candidates":
        return [(name, 28, lambda c: c.full_name), (cell, 32, lambda c: c.cell.name),
                (_("Next step"), 28, lambda c: c.get_next_step_display()),
                (_("Responsible"), 28, _responsible), (_("Due on"), 12, lambda c: c.due_on)]
    if key == "transfers":
        return [(code, 12, lambda t: t.member.code), (name, 28, lambda t: t.member.full_name),
                (_("Type of transfer"), 18, lambda t: t.get_kind_display()), (_("Sending chi bộ"), 32, lambda t: t.from_cell.name),
                (_("Receiving side"), 32, lambda t: t.to_cell.name if t.to_cell else t.destination),
                (_("Letter issued on"), 12, lambda t: t.issued_on), (_("To report by"), 12, lambda t: t.report_by)]
    if key == "discipline_cases":
        return [(code, 12, lambda c: c.member.code), (name, 28, lambda c: c.member.full_name),
                (cell, 32, lambda c: c.member.cell.name), (_("Opened on"), 12, lambda c: c.opened_on),
                (_("Considered by"), 28, lambda c: c.authority), (_("Alleged violation"), 48, lambda c: c.violation)]
    if key == "probations":
        return [(code, 12, lambda it: it.member.code), (name, 28, lambda it: it.member.full_name),
                (cell, 32, lambda it: it.member.cell.name),
                (_("Admitted on"), 12, lambda it: it.member.membership_started_on),
                (_("Probation ends"), 12, lambda it: it.ends_on), (_("Chi bộ time limit"), 12, lambda it: it.cell_deadline),
                (_("Overdue"), 10, lambda it: _("Yes") if it.overdue else "")]
    if key == "assessment":
        return [(_("Year"), 8, lambda d: d.cycle.year), (_("Organization"), 36, lambda d: d.cycle.organization.name),
                (cell, 32, lambda d: d.cell["name"] if d.cell else ""),
                (_("Assessment opened on"), 12, lambda d: d.cycle.opened_on),
                (_("Members without the party cell's proposal"), 12, lambda d: d.proposals_pending),
                (_("Members not yet rated"), 12, lambda d: d.members_pending),
                (_("Party cells not yet rated"), 12, lambda d: d.cells_pending),
                (_("Grassroots organizations not yet rated"), 12, lambda d: d.organizations_pending),
                (_("Decide by"), 12, lambda d: d.deadline),
                (_("Overdue"), 10, lambda d: _("Yes") if d.overdue else "")]
    if key == "badges":
        return [(code, 12, lambda it: it.member.code), (name, 28, lambda it: it.member.full_name),
                (cell, 32, lambda it: it.member.cell.name), (_("Admitted on"), 12, lambda it: it.member.admitted_on),
                (_("Badge"), 12, lambda it: _("%(n)s years") % {"n": it.milestone})]
    if key == "cards":
        return [(code, 12, lambda m: m.code), (name, 28, lambda m: m.full_name), (cell, 32, lambda m: m.cell.name),
                (_("Official on"), 12, lambda m: m.made_official_on)]
    raise KeyError(key)


def todo_xlsx(key: str, rows, buffer, *, award_date: dt.date, org_name: str = "", overdue_only: bool = False) -> int:
    """Write the whole list `key` (`worklist.todo_list`) as a one-sheet workbook; the number of rows.
    The sheet is named "Việc cần làm" (Excel allows 31 characters); the list's title heads it."""
    columns = _columns(key)
    heading = title(key, award_date, overdue_only) + (f" — {org_name}" if org_name else "")
    return write_table(buffer, sheet=_("To do"), title=heading,
                       heads=[(label, width) for label, width, _v in columns],
                       rows=([value(row) for _l, _w, value in columns] for row in rows))


def filename(key: str, today: dt.date, overdue_only: bool = False, *, award_date: dt.date) -> str:
    """The file's name, from the list's title in the user's language (the badges' with their award
    occasion `award_date`): viec-can-lam-<title>-YYYYMMDD.xlsx."""
    return f"{file_slug(_('To do'))}-{file_slug(title(key, award_date, overdue_only))}-{today:%Y%m%d}.xlsx"
