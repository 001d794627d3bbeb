"""The data of each document (a dict of strings for its template), gathered in the documents'
language: labels come from the catalogue (`core.documents.in_document_language`), dates in words."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy, pgettext, pgettext_lazy

from dangvu import regulations as R
from dangvu.accounts.selectors import primary_assignment
from dangvu.core.dates import format_date
from dangvu.core.documents import DOTS, citation_date, in_document_language, vietnamese_date
from dangvu.core.ethnicity import ethnicity_name
from dangvu.members.models import Member, MemberEvent, MemberPeriod, MemberStatus, PoliticalTheory, Sex
from dangvu.members.models import MemberEventKind as E
from dangvu.organizations.models import Organization

from .. import services
from ..todo import badges_due
from .header import (
    REPRESENT_BY_KIND,
    chain,
    decider,
    grassroots_index,
    heading,
    proposers,
    regulation_citation,
    where,
)

#: A member's status as a sentence of a document says it ("Là đảng viên dự bị").
STATUS_LABELS = {
    MemberStatus.PROBATIONARY: pgettext_lazy("document", "probationary party member"),
    MemberStatus.OFFICIAL: pgettext_lazy("document", "official party member"),
    MemberStatus.TRANSFERRED_OUT: pgettext_lazy("document", "transferred out of this party organization"),
    MemberStatus.REMOVED: pgettext_lazy("document", "removed from the Party"),
    MemberStatus.EXPELLED: pgettext_lazy("document", "expelled from the Party"),
    MemberStatus.RESIGNED: pgettext_lazy("document", "left the Party"),
    MemberStatus.DIED: pgettext_lazy("document", "deceased"),
}
#: A time limit of the rules, "%(amount)s" of its unit.
UNIT_LABELS = {
    R.Unit.WORKING_DAYS: ngettext_lazy("%(amount)s working day", "%(amount)s working days", "amount"),
    R.Unit.DAYS: ngettext_lazy("%(amount)s day", "%(amount)s days", "amount"),
    R.Unit.MONTHS: ngettext_lazy("%(amount)s month", "%(amount)s months", "amount"),
}


def _short(day: dt.date | None) -> str:
    return format_date(day) or DOTS


def _number(event: MemberEvent | None, symbol: str) -> str:
    if event is not None and event.decision_number.strip():
        return event.decision_number.strip()
    return f"{DOTS}-{symbol}/{DOTS}"


# --------------------------------------------------------------------------------------------
# The member


def _cell_on(member: Member, day: dt.date) -> Organization:
    period = (MemberPeriod.objects.active_on(day).filter(member=member)
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
        "other_names": member.other_names or pgettext("document", "None"),
        "sex": str(Sex(member.sex).label) if member.sex in Sex.values else DOTS,
        "birth_date": vietnamese_date(member.birth_date),
        "birth": _short(member.birth_date),
        "place_of_birth": v(member.place_of_birth),
        "home_town": v(member.home_town),
        "residence": v(member.residence) if personal else DOTS,
        "current_address": v(member.current_address) if personal else DOTS,
        "national_id": v(member.national_id_number) if personal else DOTS,
        "ethnicity": ethnicity_name(member.ethnicity) or DOTS,
        "religion": member.religion.strip() or pgettext("document", "None"),
        "occupation": v(member.occupation),
        "general_education": v(member.general_education),
        "qualification": v(member.professional_qualification),
        "political_theory": str(PoliticalTheory(member.political_theory_level).label)
        if member.political_theory_level in PoliticalTheory.values else DOTS,
        "card_number": v(member.card_number),
        "biography_number": v(member.biography_number),
        "admitted_on": vietnamese_date(member.admitted_on),
        "made_official_on": vietnamese_date(member.made_official_on) if member.made_official_on else DOTS,
        "status": str(STATUS_LABELS.get(member.status, member.status)),
        "cell": member.cell.name,
    }


def _decision_text(event: MemberEvent) -> str:
    parts = []
    if event.decision_number:
        parts.append(pgettext("document", "No. %(number)s") % {"number": event.decision_number})
    if event.decision_date:
        parts.append(pgettext("document", "dated %(day)s") % {"day": format_date(event.decision_date)})
    if event.issued_by:
        parts.append(event.issued_by)
    return ", ".join(parts)


# --------------------------------------------------------------------------------------------
# Data of each document


@in_document_language
def admission_context(event: MemberEvent, *, personal: bool = True) -> dict:
    """Quyết định kết nạp đảng viên, from the ADMITTED event (its decision number, date, issuer);
    "kết nạp lại" when the member had been admitted before (a readmission)."""
    member = event.member
    day = event.decision_date or event.effective_on
    rules = R.rules_on(day)
    units = chain(event.cell, day)
    index, standing = decider(units, rules.admission_decided_by)
    cell, grassroots = where(units)
    return {
        **heading(units, index, issued_by=event.issued_by, standing=standing),
        "number": _number(event, "QĐ"),
        "date": vietnamese_date(event.decision_date),
        "m": member_profile(member, personal=personal),
        "cell": cell,
        "grassroots": grassroots,
        "proposers": proposers(units),
        "regulation": regulation_citation(rules, day),
        "probation_months": rules.probation_months,
        "ceremony": vietnamese_date(event.effective_on),
        "readmission": member.events.filter(kind=E.ADMITTED, effective_on__lt=event.effective_on).exists(),
    }


@in_document_language
def recognition_context(event: MemberEvent, *, personal: bool = True) -> dict:
    """Quyết định công nhận đảng viên chính thức, from the MADE_OFFICIAL event; the official date is
    the event's date (the end of probation), the decision cited is that of the admission (or the
    readmission) the probation followed, the party age counts from the first admission decision."""
    member = event.member
    day = event.decision_date or event.effective_on
    rules = R.rules_on(day)
    units = chain(event.cell or _cell_on(member, event.effective_on), day)
    index, standing = decider(units, rules.admission_decided_by)
    cell, grassroots = where(units)
    admissions = list(member.events.filter(kind=E.ADMITTED).order_by("effective_on", "id"))
    # the admission whose probation ends here (a readmission's)
    admission = next((a for a in reversed(admissions) if a.effective_on < event.effective_on), None)
    reference = ""
    if admission is not None and admission.decision_number:
        reference = pgettext("document", "Decision No. %(number)s") % {"number": admission.decision_number}
        if admission.decision_date:
            reference = pgettext("document", "%(decision)s, dated %(day)s") % {
                "decision": reference, "day": citation_date(admission.decision_date)}
        if admission.issued_by:
            reference = pgettext("document", "%(decision)s of %(issuer)s") % {
                "decision": reference, "issuer": admission.issued_by}
    age_from = services.party_age_start(member, admissions)
    return {
        **heading(units, index, issued_by=event.issued_by, standing=standing),
        "number": _number(event, "QĐ"),
        "date": vietnamese_date(event.decision_date),
        "m": member_profile(member, personal=personal),
        "cell": cell,
        "grassroots": grassroots,
        "proposers": proposers(units),
        "regulation": regulation_citation(rules, day),
        "admission_ref": reference,
        "official_on": vietnamese_date(event.effective_on),
        "party_age_from": vietnamese_date(age_from),
    }


@in_document_language
def transfer_context(event: MemberEvent, *, personal: bool = True) -> dict:
    """Giấy giới thiệu sinh hoạt đảng, from a MOVED (to another cell of the database) or
    TRANSFERRED_OUT event (the destination written in the note); issued on the decision date (else the
    event's date), to be presented within `deadline_transfer_report` of the rules in force."""
    member = event.member
    issued_on = event.decision_date or event.effective_on
    rules = R.rules_on(issued_on)
    before = _period_before(member, event.effective_on)
    from_units = chain(before.cell if before is not None else member.cell, issued_on)
    from_cell, from_grassroots = where(from_units)
    internal = False
    if event.kind == E.MOVED and event.cell is not None:
        to_units = chain(event.cell, issued_on)
        destination = ", ".join(u.name for u in to_units[:2])
        g_from, g_to = grassroots_index(from_units), grassroots_index(to_units)
        internal = bool(from_units and to_units) and from_units[g_from].id == to_units[g_to].id
    else:
        destination = " ".join(event.note.split()) or event.value.strip() or DOTS
    limit = rules.deadline_transfer_report
    deadline = R.deadline(issued_on, "transfer_report", rules)
    status = before.status if before is not None else member.status
    return {
        **heading(from_units, grassroots_index(from_units), issued_by=event.issued_by),
        "number": _number(event, "GGT"),
        "date": vietnamese_date(issued_on),
        "m": member_profile(member, personal=personal),
        "status": str(STATUS_LABELS.get(status, status)),
        "from_cell": from_cell,
        "from_grassroots": from_grassroots,
        "destination": destination,
        "transfer_kind": pgettext("transfer", "internal") if internal else pgettext("transfer", "official"),
        "deadline": vietnamese_date(deadline),
        "deadline_rule": _("within %(limit)s of signing, under %(regulation)s")
        % {"limit": UNIT_LABELS[limit.unit] % {"amount": limit.amount}, "regulation": rules.code},
    }


@in_document_language
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
    summary = "; ".join(pgettext("document", "%(years)s-year Party badge: %(n)s") % {"years": years, "n": n}
                        for years, n in sorted(counts.items()))
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


@in_document_language
def member_sheet_context(member: Member, *, personal: bool = True, today: dt.date | None = None) -> dict:
    """Phiếu đảng viên (2-HSĐV): the profile, the party milestones and the history of events."""
    today = today or timezone.localdate()
    units = chain(member.cell, today)
    events = list(member.events.select_related("cell").order_by("effective_on", "id"))
    admission = next((e for e in events if e.kind == E.ADMITTED), None)
    official_cell = _cell_on(member, member.made_official_on).name if member.made_official_on else DOTS
    none = pgettext("document", "None")
    exempted = none
    if member.exempted:
        since = next((e for e in reversed(events) if e.kind == E.EXEMPTED), None)
        exempted = (pgettext("document", "since %(day)s") % {"day": vietnamese_date(since.effective_on)} if since
                    else pgettext("document", "Yes"))
    badges = [pgettext("document", "%(years)s years (%(day)s)") % {"years": e.value, "day": format_date(e.effective_on)}
              for e in events if e.kind == E.BADGE_AWARDED]
    discipline = [
        f"{e.value_display or pgettext('document', 'discipline')} "
        f"({', '.join(filter(None, [format_date(e.effective_on), _decision_text(e)]))})"
        for e in events if e.kind == E.DISCIPLINED
    ]
    rows = []
    for n, e in enumerate(events, 1):
        content = [e.cell.name if e.cell_id else "", e.value_display, " ".join(e.note.split())]
        rows.append({"n": n, "date": format_date(e.effective_on), "kind": e.get_kind_display(),
                     "content": "; ".join(c for c in content if c), "decision": _decision_text(e)})
    g = grassroots_index(units)
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
        "badges": "; ".join(badges) or pgettext("document", "Not yet"),
        "discipline": "; ".join(discipline) or none,
        "events": rows,
    }
