"""The member list as .xlsx (danh sách đảng viên): the columns of the list's export, written row by row
(XlsxWriter's constant memory) from the filtered list (`selectors.member_list`) — by the list page at once
for a small scope, by the background worker for a large one (`reports.downloads`)."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.ethnicity import ethnicity_name
from dangvu.core.xlsx import workbook as xlsx_workbook

from .models import MemberStatus, PoliticalTheory, Sex

COLUMNS = [
    ("code", gettext_lazy("Member code"), 14), ("full_name", gettext_lazy("Full name"), 28), ("birth_date", gettext_lazy("Date of birth"), 12),
    ("sex", gettext_lazy("Sex"), 6), ("ethnicity", gettext_lazy("Ethnicity"), 12), ("religion", gettext_lazy("Religion"), 12),
    ("cell_code", gettext_lazy("Cell code"), 12), ("cell_name", gettext_lazy("Party cell"), 32), ("status", gettext_lazy("Status"), 18),
    ("exempted", gettext_lazy("Exempted"), 10), ("suspended", gettext_lazy("Suspended"), 10), ("admitted_on", gettext_lazy("Admitted on"), 12),
    ("made_official_on", gettext_lazy("Made official on"), 12), ("ended_on", gettext_lazy("Left on"), 12),
    ("card_number", gettext_lazy("Party card number"), 14), ("occupation", gettext_lazy("Occupation"), 20),
    ("general_education", gettext_lazy("General education"), 10), ("professional_qualification", gettext_lazy("Professional qualification"), 20),
    ("political_theory_level", gettext_lazy("Political theory level"), 14),
]
#: The columns of personal data, for the roles that may see them (`accounts.permissions.Action.PERSONAL_DATA`).
PERSONAL_COLUMNS = [
    ("national_id_number", gettext_lazy("National ID number"), 14), ("residence", gettext_lazy("Permanent residence"), 30),
    ("current_address", gettext_lazy("Current address"), 30), ("phone", gettext_lazy("Phone"), 14),
]


def filename(day: dt.date) -> str:
    return f"dang-vien-{day:%Y%m%d}.xlsx"


def member_list_xlsx(members, *, personal: bool) -> bytes:
    """The workbook of `members` (a queryset with `cell`, in the list's order), with the personal columns
    when `personal`; read in chunks, written row by row through a temporary file."""
    columns = COLUMNS + (PERSONAL_COLUMNS if personal else [])
    sexes = dict(Sex.choices)
    statuses = dict(MemberStatus.choices)
    theory = dict(PoliticalTheory.choices)
    yes, no = _("Yes"), _("No")
    with tempfile.TemporaryFile(suffix=".xlsx") as tmp:
        wb = xlsx_workbook(tmp, constant_memory=True, in_memory=False, tmpdir=tempfile.gettempdir())
        ws = wb.add_worksheet(_("Members")[:31])
        head = wb.add_format({"bold": True, "bg_color": "#EEF0F3", "border": 1, "text_wrap": True, "valign": "top"})
        datefmt = wb.add_format({"num_format": "dd/mm/yyyy"})
        for col, (_key, label, width) in enumerate(columns):
            ws.set_column(col, col, width)
            ws.write_string(0, col, str(label), head)
        ws.freeze_panes(1, 0)
        row = 0
        for m in members.iterator(chunk_size=2000):
            row += 1
            values = {
                "sex": sexes.get(m.sex, m.sex), "ethnicity": ethnicity_name(m.ethnicity),
                "cell_code": m.cell.code, "cell_name": m.cell.name, "status": statuses.get(m.status, m.status),
                "exempted": yes if m.exempted else no, "suspended": yes if m.suspended else no,
                "political_theory_level": theory.get(m.political_theory_level, "") if m.political_theory_level else "",
            }
            for col, (key, _label, _w) in enumerate(columns):
                value = values[key] if key in values else getattr(m, key)
                if isinstance(value, dt.date):
                    ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), datefmt)
                elif value not in (None, ""):
                    ws.write_string(row, col, str(value))
        if row:
            ws.autofilter(0, 0, row, len(columns) - 1)
        wb.close()
        tmp.seek(0)
        return tmp.read()
