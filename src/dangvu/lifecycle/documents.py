"""Official documents generated from the records (văn bản): .docx from templates, and PDF.

Five documents, one function each returning the bytes of a .docx:

- `admission_decision(event)`: quyết định kết nạp đảng viên (form 9-KNĐ), from an ADMITTED event;
- `recognition_decision(event)`: quyết định công nhận đảng viên chính thức, from a MADE_OFFICIAL event;
- `transfer_letter(event)`: giấy giới thiệu sinh hoạt đảng, from a MOVED or TRANSFERRED_OUT event, with
  the day by which the member must present it (`rules.deadline(…, "transfer_report", …)`);
- `badge_list(user, award_date)`: danh sách đề nghị tặng Huy hiệu Đảng across the user's scope
  (`todo.badges_due`);
- `member_sheet(member)`: phiếu đảng viên (form 2-HSĐV): the profile and the history of events.

The data of each document is gathered by a plain function (`*_context`) into a dict of strings, and
rendered by docxtpl into a template: ``<name>.docx`` is looked up first in the folder of the setting
``DANGVU_TEMPLATE_DIR`` (environment variable of the same name; default ``$DANGVU_DATA_DIR/templates``),
where an administrator may put a replacement, then among the shipped templates
(``document_templates/``, rebuilt by its ``build.py``; the variables are listed in its README.md).
A replacement that cannot be used raises `DocumentError` naming the file (a message, never a 500).

The text of the documents is Vietnamese whatever the language of the interface: dates are written
"ngày 19 tháng 5 năm 2025" (a day below 10 and the months 1 and 2 with a leading zero, as HD
36-HD/VPTW asks). Personal data (residence, current address, ID number) is left blank for users
who may not see it.

`to_pdf(docx)` converts with LibreOffice headless (`soffice`/`libreoffice` on PATH) in a temporary
folder, under a time limit; without LibreOffice it raises `PdfUnavailable` with a message telling the
user to download the .docx.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.accounts.selectors import primary_assignment
from dangvu.core.dates import format_date
from dangvu.core.errors import DomainError
from dangvu.core.ethnicity import ethnicity_name
from dangvu.core.text import fold
from dangvu.members.models import Member, MemberEvent, MemberPeriod
from dangvu.members.models import MemberEventKind as E
from dangvu.members.selectors import members_visible_to
from dangvu.organizations.models import GRASSROOTS_KINDS, Organization, OrganizationPeriod
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.selectors import ancestors_as_of

from . import services
from .todo import badges_due

SHIPPED_DIR = Path(__file__).resolve().with_name("document_templates")
DOTS = "……"
#: Seconds LibreOffice may take to convert one document.
PDF_TIMEOUT = 120

#: URL key → (event kinds it is made from, template file, download name prefix).
EVENT_DOCUMENTS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "admission": ((E.ADMITTED,), "admission_decision.docx", "quyet-dinh-ket-nap"),
    "recognition": ((E.MADE_OFFICIAL,), "recognition_decision.docx", "quyet-dinh-cong-nhan-chinh-thuc"),
    "transfer": ((E.MOVED, E.TRANSFERRED_OUT), "transfer_letter.docx", "giay-gioi-thieu-sinh-hoat-dang"),
}
#: Event kind → URL key of its document.
DOCUMENT_OF_KIND = {kind: key for key, (kinds, _t, _p) in EVENT_DOCUMENTS.items() for kind in kinds}

# Vietnamese wording of the records (the documents are Vietnamese whatever the interface language).
SEX_VI = {"M": "Nam", "F": "Nữ"}
STATUS_VI = {
    "probationary": "đảng viên dự bị",
    "official": "đảng viên chính thức",
    "transferred_out": "đã chuyển sinh hoạt đảng đi",
    "removed": "đã bị xóa tên",
    "expelled": "đã bị khai trừ",
    "resigned": "đã ra khỏi Đảng",
    "died": "đã từ trần",
}
THEORY_VI = {"so_cap": "Sơ cấp", "trung_cap": "Trung cấp", "cao_cap": "Cao cấp", "cu_nhan": "Cử nhân"}
EVENT_VI = {
    E.ADMITTED: "Kết nạp vào Đảng",
    E.MADE_OFFICIAL: "Công nhận đảng viên chính thức",
    E.TRANSFERRED_IN: "Chuyển sinh hoạt đảng đến",
    E.MOVED: "Chuyển sinh hoạt sang chi bộ khác",
    E.TRANSFERRED_OUT: "Chuyển sinh hoạt đảng đi",
    E.EXEMPTED: "Miễn công tác và sinh hoạt đảng",
    E.EXEMPTION_ENDED: "Thôi miễn sinh hoạt đảng",
    E.DISCIPLINED: "Kỷ luật",
    E.CARD_ISSUED: "Cấp thẻ đảng viên",
    E.BADGE_AWARDED: "Tặng Huy hiệu Đảng",
    E.REMOVED: "Xóa tên",
    E.EXPELLED: "Khai trừ",
    E.RESIGNED: "Ra khỏi Đảng",
    E.DIED: "Từ trần",
    E.RESTORED: "Khôi phục đảng tịch",
}
UNIT_VI = {R.Unit.WORKING_DAYS: "ngày làm việc", R.Unit.DAYS: "ngày", R.Unit.MONTHS: "tháng"}
_STANDING = "T/M BAN THƯỜNG VỤ"
REPRESENT_BY_KIND = {
    K.PROVINCIAL: _STANDING,
    K.DISTRICT: _STANDING,
    K.GRASSROOTS_COMMITTEE: "T/M ĐẢNG ỦY",
    K.PARTIAL_COMMITTEE: "T/M ĐẢNG ỦY",
    K.GRASSROOTS_CELL: "T/M CHI BỘ",
    K.SUBORDINATE_CELL: "T/M CHI BỘ",
}


class DocumentError(DomainError):
    """A document cannot be produced (a replacement template that does not work, a failed PDF)."""


class PdfUnavailable(DocumentError):
    """No LibreOffice on the server: only the .docx can be had."""


# --------------------------------------------------------------------------------------------
# Dates in words


def _day_month(day: dt.date) -> tuple[str, str]:
    # HD 36-HD/VPTW: days below 10 and the months 1 and 2 take a leading zero.
    return (f"{day.day:02d}" if day.day < 10 else str(day.day),
            f"{day.month:02d}" if day.month < 3 else str(day.month))


def vietnamese_date(day: dt.date | None) -> str:
    """'ngày 19 tháng 5 năm 2025'; dotted blanks when the date is not known."""
    if day is None:
        return f"ngày {DOTS} tháng {DOTS} năm {DOTS}"
    d, m = _day_month(day)
    return f"ngày {d} tháng {m} năm {day.year}"


def citation_date(day: dt.date) -> str:
    """A date as the Party's documents cite one another: '26-5-2025'."""
    d, m = _day_month(day)
    return f"{d}-{m}-{day.year}"


def _short(day: dt.date | None) -> str:
    return format_date(day) or DOTS


# --------------------------------------------------------------------------------------------
# The organizations behind a document: names as they stood on its date


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    kind: str


def chain(org: Organization | None, day: dt.date) -> list[Unit]:
    """`org` and its ancestors, nearest first, with the names and kinds they had on `day` (the current
    tree when `org` did not exist yet that day)."""
    if org is None:
        return []
    ids = [org.pk, *ancestors_as_of(org.pk, day)]
    periods = {
        p.organization_id: p
        for p in OrganizationPeriod.objects.filter(organization_id__in=ids, valid_from__lte=day).exclude(valid_to__lte=day)
    }
    if org.pk not in periods:  # not yet established (or already closed) that day: today's tree
        ids, current = [org.pk], org
        while current.parent_id is not None and current.parent_id not in ids:
            ids.append(current.parent_id)
            current = Organization.objects.get(pk=current.parent_id)
        periods = {}
    orgs = Organization.objects.in_bulk(ids)
    return [
        Unit(i, periods[i].name, periods[i].kind) if i in periods else Unit(i, orgs[i].name, orgs[i].kind)
        for i in ids
    ]


_LEVEL_COMMITTEES = (("tinh", "Tỉnh ủy"), ("huyen", "Huyện ủy"), ("quan", "Quận ủy"), ("thi xa", "Thị ủy"),
                     ("thanh pho", "Thành ủy"))


def committee_name(unit: Unit) -> str:
    """The committee that speaks for an organization: 'Đảng bộ xã Nà Hỳ' → 'Đảng ủy xã Nà Hỳ',
    'Đảng bộ huyện Mường Lay' → 'Huyện ủy Mường Lay'; a chi bộ speaks for itself."""
    words, folded = unit.name.split(), fold(unit.name).split()
    if folded[:2] != ["dang", "bo"]:
        return unit.name
    rest, rest_folded = words[2:], " ".join(folded[2:])
    if unit.kind in (K.PROVINCIAL, K.DISTRICT):
        for level, committee in _LEVEL_COMMITTEES:
            if rest_folded.startswith(level + " "):
                return " ".join([committee, *rest[len(level.split()):]])
    return " ".join(["Đảng ủy", *rest])


_PLACE_PREFIX = re.compile(
    r"^(?:ban thuong vu )?(?:(?:dang bo|dang uy|chi bo|chi uy) (?:xa|phuong|thi tran|huyen|thi xa|thanh pho|tinh|"
    r"dac khu)|(?:tinh|huyen|quan|thi|thanh) uy) "
)


def place_of(name: str) -> str:
    """The place name in an organization's name ('Đảng ủy xã Nà Hỳ' → 'Nà Hỳ'), or ''."""
    match = _PLACE_PREFIX.match(fold(name))
    return " ".join(name.split()[len(match.group(0).split()):]) if match else ""


def _grassroots_index(units: list[Unit]) -> int:
    for i, unit in enumerate(units):
        if unit.kind in GRASSROOTS_KINDS:
            return i
    return max(len(units) - 1, 0)


def heading(units: list[Unit], index: int, *, issued_by: str = "", standing: bool = False) -> dict:
    """The header and signature of a document issued, by default, by the committee of `units[index]`
    (its standing committee when `standing`), or by the body written in the decision (`issued_by`)."""
    default = units[min(index, len(units) - 1)] if units else None
    superior = ""
    text = " ".join((issued_by or "").split())
    if text:
        bt = fold(text).startswith("ban thuong vu ")
        issuer = " ".join(text.split()[3:]) if bt else text
        key = fold(issuer)
        found = next((i for i, u in enumerate(units) if key in (fold(u.name), fold(committee_name(u)))), None)
        if found is not None and found + 1 < len(units):
            superior = units[found + 1].name
        elif found is None and default is not None and index + 1 < len(units):
            superior = units[index + 1].name
        if bt or re.match(r"^(tinh|huyen|quan|thi|thanh) uy ", key):
            represent = _STANDING
        elif key.startswith(("chi bo", "chi uy")):
            represent = "T/M " + " ".join(issuer.split()[:2]).upper()
        elif key.startswith("ban "):
            represent = ""  # a board (ban) of the committee: its head signs in person
        else:
            represent = "T/M ĐẢNG ỦY"
    elif default is not None:
        issuer = committee_name(default)
        superior = units[index + 1].name if index + 1 < len(units) else ""
        represent = _STANDING if standing else REPRESENT_BY_KIND.get(default.kind, "T/M ĐẢNG ỦY")
    else:
        issuer, represent = DOTS, "T/M ĐẢNG ỦY"
    place = place_of(issuer)
    for unit in units[min(index, len(units)):]:
        place = place or place_of(unit.name)
    return {
        "superior": superior,
        "issuer": issuer,
        "issuer_body": f"Ban Thường vụ {issuer}" if represent == _STANDING else issuer,
        "represent": represent,
        "signer_title": "TRƯỞNG BAN" if not represent else "BÍ THƯ",
        "signer_name": "",
        "place": place or DOTS,
    }


def _where(units: list[Unit]) -> tuple[str, str]:
    """(the cell, the organization it belongs to) as written in documents."""
    if not units:
        return DOTS, DOTS
    return units[0].name, units[1].name if len(units) > 1 else DOTS


def _proposers(units: list[Unit]) -> str:
    """Who proposes an admission or recognition: the chi bộ, and the đảng ủy cơ sở above a
    subordinate cell."""
    if not units:
        return DOTS
    g = _grassroots_index(units)
    if g == 0:
        return units[0].name
    return f"{units[0].name} và {committee_name(units[g])}"


def _decider(units: list[Unit], authority: str) -> tuple[int, bool]:
    """Index in `units` of the body deciding admissions and recognitions under the rules, and whether
    its standing committee (ban thường vụ) decides."""
    g = _grassroots_index(units)
    if authority == "grassroots_standing_committee":
        return g, units[g].kind == K.GRASSROOTS_COMMITTEE if units else False
    if authority == "provincial_standing_committee":
        for i, unit in enumerate(units):
            if unit.kind == K.PROVINCIAL:
                return i, True
    return (g + 1, True) if g + 1 < len(units) else (g, False)


def regulation_citation(rules: R.RuleSet, day: dt.date) -> str:
    """'Quy định số 294-QĐ/TW, ngày 26-5-2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng'; without
    number before the first encoded regulation took effect (`rules_on` then gives it only as an approximation)."""
    if day < rules.effective_from:
        return "Quy định của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng"
    number = rules.code.removeprefix("QĐ ").strip()
    about = rules.title.removeprefix("Quy định").strip()
    return f"Quy định số {number}, ngày {citation_date(rules.issued_on)} của Ban Chấp hành Trung ương về {about}"


def _number(event: MemberEvent | None, symbol: str) -> str:
    if event is not None and event.decision_number.strip():
        return event.decision_number.strip()
    return f"{DOTS}-{symbol}/{DOTS}"


# --------------------------------------------------------------------------------------------
# The member


def _cell_on(member: Member, day: dt.date) -> Organization:
    period = (MemberPeriod.objects.filter(member=member, valid_from__lte=day).exclude(valid_to__lte=day)
              .select_related("cell").first())
    return period.cell if period is not None else member.cell


def _period_before(member: Member, day: dt.date) -> MemberPeriod | None:
    return (MemberPeriod.objects.filter(member=member, valid_from__lt=day).select_related("cell")
            .order_by("-valid_from").first())


def member_profile(member: Member, *, personal: bool) -> dict:
    """The member's particulars as documents write them (blanks dotted; personal data only if allowed)."""
    def v(value):
        return value.strip() if isinstance(value, str) and value.strip() else DOTS

    return {
        "code": member.code,
        "name": member.full_name,
        "other_names": member.other_names or "Không",
        "sex": SEX_VI.get(member.sex, DOTS),
        "birth_date": vietnamese_date(member.birth_date),
        "birth": _short(member.birth_date),
        "place_of_birth": v(member.place_of_birth),
        "home_town": v(member.home_town),
        "residence": v(member.residence) if personal else DOTS,
        "current_address": v(member.current_address) if personal else DOTS,
        "national_id": v(member.national_id_number) if personal else DOTS,
        "ethnicity": ethnicity_name(member.ethnicity) or DOTS,
        "religion": member.religion.strip() or "Không",
        "occupation": v(member.occupation),
        "general_education": v(member.general_education),
        "qualification": v(member.professional_qualification),
        "political_theory": THEORY_VI.get(member.political_theory_level, "Chưa qua đào tạo"),
        "card_number": v(member.card_number),
        "biography_number": v(member.biography_number),
        "admitted_on": vietnamese_date(member.admitted_on),
        "made_official_on": vietnamese_date(member.made_official_on) if member.made_official_on else DOTS,
        "status": STATUS_VI.get(member.status, member.status),
        "cell": member.cell.name,
    }


def _decision_text(event: MemberEvent) -> str:
    parts = []
    if event.decision_number:
        parts.append(f"Số {event.decision_number}")
    if event.decision_date:
        parts.append(f"ngày {format_date(event.decision_date)}")
    if event.issued_by:
        parts.append(event.issued_by)
    return ", ".join(parts)


# --------------------------------------------------------------------------------------------
# Data of each document


def admission_context(event: MemberEvent, *, personal: bool = True) -> dict:
    """Quyết định kết nạp đảng viên, from the ADMITTED event (its decision number, date, issuer);
    "kết nạp lại" when the member had been admitted before (a readmission)."""
    member = event.member
    day = event.decision_date or event.effective_on
    rules = R.rules_on(day)
    units = chain(event.cell, day)
    index, standing = _decider(units, rules.admission_decided_by)
    cell, grassroots = _where(units)
    return {
        **heading(units, index, issued_by=event.issued_by, standing=standing),
        "number": _number(event, "QĐ"),
        "date": vietnamese_date(event.decision_date),
        "m": member_profile(member, personal=personal),
        "cell": cell,
        "grassroots": grassroots,
        "proposers": _proposers(units),
        "regulation": regulation_citation(rules, day),
        "probation_months": rules.probation_months,
        "ceremony": vietnamese_date(event.effective_on),
        "readmission": member.events.filter(kind=E.ADMITTED, effective_on__lt=event.effective_on).exists(),
    }


def recognition_context(event: MemberEvent, *, personal: bool = True) -> dict:
    """Quyết định công nhận đảng viên chính thức, from the MADE_OFFICIAL event; the official date is
    the event's date (the end of probation), the decision cited is that of the admission (or the
    readmission) the probation followed, the party age counts from the first admission decision."""
    member = event.member
    day = event.decision_date or event.effective_on
    rules = R.rules_on(day)
    units = chain(event.cell or _cell_on(member, event.effective_on), day)
    index, standing = _decider(units, rules.admission_decided_by)
    cell, grassroots = _where(units)
    admissions = list(member.events.filter(kind=E.ADMITTED).order_by("effective_on", "id"))
    # the admission whose probation ends here (a readmission's)
    admission = next((a for a in reversed(admissions) if a.effective_on < event.effective_on), None)
    reference = ""
    if admission is not None and admission.decision_number:
        reference = f"Quyết định số {admission.decision_number}"
        if admission.decision_date:
            reference += f", ngày {citation_date(admission.decision_date)}"
        if admission.issued_by:
            reference += f" của {admission.issued_by}"
    age_from = services.party_age_start(member, admissions)
    return {
        **heading(units, index, issued_by=event.issued_by, standing=standing),
        "number": _number(event, "QĐ"),
        "date": vietnamese_date(event.decision_date),
        "m": member_profile(member, personal=personal),
        "cell": cell,
        "grassroots": grassroots,
        "proposers": _proposers(units),
        "regulation": regulation_citation(rules, day),
        "admission_ref": reference,
        "official_on": vietnamese_date(event.effective_on),
        "party_age_from": vietnamese_date(age_from),
    }


def transfer_context(event: MemberEvent, *, personal: bool = True) -> dict:
    """Giấy giới thiệu sinh hoạt đảng, from a MOVED (to another cell of the database) or
    TRANSFERRED_OUT event (the destination written in the note); issued on the decision date (else the
    event's date), to be presented within `deadline_transfer_report` of the rules in force."""
    member = event.member
    issued_on = event.decision_date or event.effective_on
    rules = R.rules_on(issued_on)
    before = _period_before(member, event.effective_on)
    from_units = chain(before.cell if before is not None else member.cell, issued_on)
    from_cell, from_grassroots = _where(from_units)
    internal = False
    if event.kind == E.MOVED and event.cell is not None:
        to_units = chain(event.cell, issued_on)
        destination = ", ".join(u.name for u in to_units[:2])
        g_from, g_to = _grassroots_index(from_units), _grassroots_index(to_units)
        internal = bool(from_units and to_units) and from_units[g_from].id == to_units[g_to].id
    else:
        destination = " ".join(event.note.split()) or event.value.strip() or DOTS
    limit = rules.deadline_transfer_report
    deadline = R.deadline(issued_on, "transfer_report", rules)
    status = before.status if before is not None else member.status
    return {
        **heading(from_units, _grassroots_index(from_units), issued_by=event.issued_by),
        "number": _number(event, "GGT"),
        "date": vietnamese_date(issued_on),
        "m": member_profile(member, personal=personal),
        "status": STATUS_VI.get(status, status),
        "from_cell": from_cell,
        "from_grassroots": from_grassroots,
        "destination": destination,
        "transfer_kind": "nội bộ" if internal else "chính thức",
        "deadline": vietnamese_date(deadline),
        "deadline_rule": f"trong {limit.amount} {UNIT_VI[limit.unit]} kể từ ngày ký, theo {rules.code}",
    }


def badge_list_context(user, award_date: dt.date, *, today: dt.date | None = None) -> dict:
    """Danh sách đề nghị tặng Huy hiệu Đảng on `award_date`, across the user's scope, issued by the
    committee of the user's organization."""
    today = today or timezone.localdate()
    assignment = primary_assignment(user)
    units = chain(assignment.organization if assignment is not None else None, today)
    items = badges_due(user, award_date)
    rows = [{
        "n": n,
        "name": it.member.full_name,
        "birth": _short(it.member.birth_date),
        "home_town": it.member.home_town or DOTS,
        "admitted": _short(it.member.admitted_on),
        "official": _short(it.member.made_official_on),
        "cell": it.member.cell.name,
        "milestone": it.milestone,
    } for n, it in enumerate(items, 1)]
    counts: dict[int, int] = {}
    for it in items:
        counts[it.milestone] = counts.get(it.milestone, 0) + 1
    summary = "; ".join(f"huy hiệu {years} năm tuổi Đảng: {n}" for years, n in sorted(counts.items()))
    return {
        **heading(units, 0),
        "number": f"{DOTS}-DS/{DOTS}",
        "date": vietnamese_date(today),
        "award": _short(award_date),
        "award_date": vietnamese_date(award_date),
        "items": rows,
        "total": len(rows),
        "summary": f" ({summary})" if summary else "",
    }


def member_sheet_context(member: Member, *, personal: bool = True, today: dt.date | None = None) -> dict:
    """Phiếu đảng viên (2-HSĐV): the profile, the party milestones and the history of events."""
    today = today or timezone.localdate()
    units = chain(member.cell, today)
    events = list(member.events.select_related("cell").order_by("effective_on", "id"))
    admission = next((e for e in events if e.kind == E.ADMITTED), None)
    official_cell = _cell_on(member, member.made_official_on).name if member.made_official_on else DOTS
    exempted = "Không"
    if member.exempted:
        since = next((e for e in reversed(events) if e.kind == E.EXEMPTED), None)
        exempted = f"từ {vietnamese_date(since.effective_on)}" if since else "Có"
    badges = [f"{e.value} năm ({format_date(e.effective_on)})" for e in events if e.kind == E.BADGE_AWARDED]
    discipline = [
        f"{e.value or 'kỷ luật'} ({', '.join(filter(None, [format_date(e.effective_on), _decision_text(e)]))})"
        for e in events if e.kind == E.DISCIPLINED
    ]
    rows = []
    for n, e in enumerate(events, 1):
        content = [e.cell.name if e.cell_id else "", e.value, " ".join(e.note.split())]
        rows.append({"n": n, "date": format_date(e.effective_on), "kind": EVENT_VI.get(e.kind, e.kind),
                     "content": "; ".join(c for c in content if c), "decision": _decision_text(e)})
    g = _grassroots_index(units)
    head = heading(units, 0)
    return {
        **head,
        "header_lines": [u.name for u in reversed(units[1:g + 2])],  # up to the grassroots' superior
        "issuer": units[0].name if units else DOTS,
        "represent": REPRESENT_BY_KIND.get(units[g].kind, "T/M ĐẢNG ỦY") if units else "T/M ĐẢNG ỦY",
        "signer_title": "BÍ THƯ",
        "date": vietnamese_date(today),
        "m": member_profile(member, personal=personal),
        "admission_cell": admission.cell.name if admission is not None and admission.cell_id else DOTS,
        "official_cell": official_cell,
        "exempted": exempted,
        "badges": "; ".join(badges) or "Chưa",
        "discipline": "; ".join(discipline) or "Không",
        "events": rows,
    }


# --------------------------------------------------------------------------------------------
# Rendering


def template_dir() -> Path:
    """The administrator's folder of replacement templates (setting/env DANGVU_TEMPLATE_DIR)."""
    return Path(getattr(settings, "DANGVU_TEMPLATE_DIR", None) or Path(settings.DATA_DIR) / "templates")


def template_path(name: str) -> Path:
    """The administrator's replacement of template `name` when there is one, else the shipped one."""
    override = template_dir() / name
    return override if override.is_file() else SHIPPED_DIR / name


def render(name: str, context: dict) -> bytes:
    """Render template `name` with `context` (values XML-escaped) into .docx bytes."""
    from docxtpl import DocxTemplate

    path = template_path(name)
    try:
        template = DocxTemplate(path)
        template.render(context, autoescape=True)
        out = io.BytesIO()
        template.save(out)
    except Exception as exc:
        if path.parent == SHIPPED_DIR:
            raise
        raise DocumentError(
            _("The document template %(path)s could not be used: %(error)s") % {"path": path, "error": exc}
        ) from exc
    return out.getvalue()


def admission_decision(event: MemberEvent, *, personal: bool = True) -> bytes:
    return render("admission_decision.docx", admission_context(event, personal=personal))


def recognition_decision(event: MemberEvent, *, personal: bool = True) -> bytes:
    return render("recognition_decision.docx", recognition_context(event, personal=personal))


def transfer_letter(event: MemberEvent, *, personal: bool = True) -> bytes:
    return render("transfer_letter.docx", transfer_context(event, personal=personal))


def badge_list(user, award_date: dt.date) -> bytes:
    return render("badge_list.docx", badge_list_context(user, award_date))


def member_sheet(member: Member, *, personal: bool = True) -> bytes:
    return render("member_sheet.docx", member_sheet_context(member, personal=personal))


_EVENT_RENDERERS = {"admission": admission_decision, "recognition": recognition_decision, "transfer": transfer_letter}


def event_document(event: MemberEvent, key: str, *, personal: bool = True) -> bytes:
    """The document `key` of `EVENT_DOCUMENTS` for `event`."""
    return _EVENT_RENDERERS[key](event, personal=personal)


def event_document_name(event: MemberEvent, key: str) -> str:
    """Download name of the document `key` for `event`, without extension."""
    return f"{EVENT_DOCUMENTS[key][2]}-{event.member.code}"


def document_events_visible_to(user, key: str) -> QuerySet[MemberEvent]:
    """Events of members in the user's scope that document `key` is made from."""
    return MemberEvent.objects.filter(member__in=members_visible_to(user), kind__in=EVENT_DOCUMENTS[key][0]
                                      ).select_related("member", "member__cell", "cell")


# --------------------------------------------------------------------------------------------
# PDF


def office_binary() -> str | None:
    """LibreOffice's command on PATH, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    """Whether PDF versions can be made here (LibreOffice installed): pages offer PDF links only then."""
    return office_binary() is not None


def to_pdf(docx: bytes, *, timeout: int = PDF_TIMEOUT) -> bytes:
    """Convert .docx bytes to PDF with LibreOffice headless, in a temporary folder (its own user profile,
    so conversions may run side by side), killed after `timeout` seconds."""
    binary = office_binary()
    if binary is None:
        raise PdfUnavailable(_("PDF needs LibreOffice installed on the server; download the .docx instead."))
    failed = _("The PDF could not be made (LibreOffice failed or took too long); download the .docx instead.")
    with tempfile.TemporaryDirectory(prefix="dangvu-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(docx)
        command = [binary, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        env = {**os.environ, "HOME": str(folder)}
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=folder, env=env,
                                       start_new_session=True)
        except OSError as exc:
            raise DocumentError(failed) from exc
        try:
            process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.communicate()
            raise DocumentError(failed) from exc
        result = folder / "document.pdf"
        if process.returncode != 0 or not result.is_file():
            raise DocumentError(failed)
        return result.read_bytes()
