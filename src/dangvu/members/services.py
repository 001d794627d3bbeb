"""Member operations: register a member, correct the profile, record an event (biến động).

Every function here is one transaction and the only code that writes members, events and
periods (imports write the same rows in bulk through `bulk.py`, using the same replay).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Subquery
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.core.audit import acting_user
from dangvu.core.dates import check_past, format_date
from dangvu.core.errors import DomainError
from dangvu.core.ethnicity import ethnicity_code
from dangvu.core.lengths import check_length, check_lengths
from dangvu.core.models import claim_version
from dangvu.core.text import check_name_text, fold, normalize_name, sort_key, split_name
from dangvu.organizations.models import CELL_KINDS, Organization
from dangvu.organizations.selectors import period_on
from dangvu.organizations.services import NO_DECISION, Decision, rebuild_periods

from . import history, search
from .identity import check_national_id
from .models import Member, MemberEvent, MemberEventKind, MemberPeriod, PoliticalTheory, Sex

E = MemberEventKind
CCCD_RE = re.compile(r"^\d{12}$")

PROFILE_FIELDS = (
    "other_names", "religion", "place_of_birth", "home_town", "residence", "current_address",
    "national_id_number", "phone", "occupation", "general_education", "professional_qualification",
    "political_theory_level", "biography_number",
)


def normalize_religion(text: str | None) -> str:
    """'Không', 'không', '' and None all mean no religion."""
    t = " ".join((text or "").split())
    return "" if fold(t) in ("", "khong", "none", "-") else t


def check_admission_age(birth_date: dt.date, admitted_on: dt.date, *, field: str) -> None:
    """The member was old enough on the admission date under the rules in force then, the age counted
    in months (regulations.admission_age_check). A member already admitted over the maximum age was
    admitted with the approval the rules require: registration does not ask for it again."""
    refusals = R.admission_age_check(birth_date, admitted_on, R.rules_on(admitted_on), over_max_age_approved=True)
    R.raise_refusals(refusals, field=field)


def check_cell(cell: Organization | None, day: dt.date, *, field: str = "cell") -> None:
    """A member is placed only in a chi bộ that exists on `day`."""
    if cell is None:
        raise DomainError(_("The party cell is required."), field=field)
    period = period_on(cell.pk, day)
    check_cell_period(cell.name, period.kind if period is not None else None, day, field=field)


def check_cell_period(name: str, kind_on_day: str | None, day: dt.date, *, field: str = "cell") -> None:
    """check_cell's rule on what is known of the cell (pure: the import checks its rows with it):
    `kind_on_day` is the organization's kind on `day`, None when it does not exist that day."""
    if kind_on_day is None:
        raise DomainError(_("%(cell)s does not exist on %(day)s.") % {"cell": name, "day": format_date(day)}, field=field)
    if kind_on_day not in CELL_KINDS:
        raise DomainError(
            _("%(org)s is not a party cell (chi bộ); members are placed only in cells.") % {"org": name}, field=field
        )


def check_event_day(day: dt.date, admitted_on: dt.date | None, *, field: str = "effective_on",
                    decision: Decision = NO_DECISION) -> None:
    """The dates of a member's event are facts that have happened: its day in the range of recorded facts
    and not after today (an event dated later would change the member's state today, before it happens:
    `core.dates.check_past`), nor the date of its decision; and not before the member was admitted
    (`admitted_on`, the first admission) — the refusal names the input at fault (`field`)."""
    check_past(day, field=field)
    check_past(decision.date, field="decision_date")
    if admitted_on is not None and day < admitted_on:
        raise history.before_admission(day, admitted_on, field=field)


def check_card_number(number: str | None, *, field: str = "card_number") -> str:
    """The card number, stripped, when it is a party card number of the rules (`regulations.card_number_check`)."""
    number = (number or "").strip()
    R.raise_refusals(R.card_number_check(number), field=field)
    return number


def clean_profile(data: dict, *, today: dt.date | None = None) -> dict:
    """Validate and normalise profile fields (shared by create, update, import and API). `today`: the
    day a birth date may not pass (default the local date; an import gives its own, read once)."""
    out = dict(data)
    if "full_name" in out:
        check_name_text(out["full_name"], field="full_name")
        name = normalize_name(out["full_name"] or "")
        if not name or len(name.split()) < 2:
            raise DomainError(_("Enter the full name (family name and given name)."), field="full_name")
        out["full_name"] = name
    if "sex" in out and out["sex"] not in Sex.values:
        raise DomainError(_("Sex must be male or female."), field="sex")
    if "ethnicity" in out:
        code = ethnicity_code(out["ethnicity"] or "")
        if code is None:
            raise DomainError(
                _("Unknown ethnic group “%(v)s”.") % {"v": out["ethnicity"]}, field="ethnicity"
            )
        out["ethnicity"] = code
    if "religion" in out:
        out["religion"] = normalize_religion(out["religion"])
    if out.get("other_names"):
        check_name_text(out["other_names"], field="other_names")
    if out.get("national_id_number"):
        out["national_id_number"] = str(out["national_id_number"]).strip()
        if not CCCD_RE.match(out["national_id_number"]):
            raise DomainError(_("The national ID number must have 12 digits."), field="national_id_number")
    if out.get("political_theory_level") and out["political_theory_level"] not in PoliticalTheory.values:
        raise DomainError(_("Unknown political theory level."), field="political_theory_level")
    if "birth_date" in out:
        b = out["birth_date"]
        if b is None:
            raise DomainError(_("The date of birth is required."), field="birth_date")
        if b > (today or timezone.localdate()):
            raise DomainError(_("The date of birth is in the future."), field="birth_date")
    for key in PROFILE_FIELDS:
        if key in out and out[key] is None:
            out[key] = ""
    check_lengths(Member, out)
    if len(out.get("full_name") or "") > NAME_PART_LENGTH:  # the parts too: a long single word is a given name
        parts = split_name(out["full_name"])
        for key, part in zip(("family_name", "middle_name", "given_name"), parts, strict=True):
            check_length(Member, key, part, error_field="full_name")
    return out


NAME_PART_LENGTH = min(Member._meta.get_field(f).max_length for f in ("family_name", "middle_name", "given_name"))
NAME_FIELDS = ("family_name", "middle_name", "given_name", "name_folded", "sort_key")
STATE_FIELDS = ("status", "cell", "exempted", "suspended", "admitted_on", "readmitted_on", "made_official_on",
                "ended_on", "card_number")


def apply_name(person) -> None:
    """The name parts, folded name and Vietnamese sort key of a member or candidate (PersonProfile)."""
    person.family_name, person.middle_name, person.given_name = split_name(person.full_name)
    person.name_folded = fold(person.full_name)
    person.sort_key = sort_key(person.family_name, person.middle_name, person.given_name)


def _apply_state(member: Member, state: history.State) -> None:
    member.status = state.current_status
    member.cell_id = state.last_cell_id or member.cell_id
    member.exempted = state.exempted
    member.suspended = state.suspended
    member.admitted_on = state.admitted_on or member.admitted_on
    member.readmitted_on = state.readmitted_on
    member.made_official_on = state.made_official_on
    member.ended_on = state.ended_on
    member.card_number = state.card_number


#: The member's own fields the periods carry (MemberPeriod: reports count them from the periods alone).
PERIOD_PROFILE_FIELDS = ("sex", "ethnicity", "religion", "birth_date", "general_education", "political_theory_level")


def rebuild(member: Member) -> history.State:
    """Recompute the member's periods and cached current fields from the events."""
    events = list(member.events.all())
    periods, state = history.replay(events)
    MemberPeriod.objects.filter(member=member).delete()
    # the profile fields as stored, not as this instance holds them (it may be older than a correction)
    stored = {f: Subquery(Member.objects.filter(pk=member.pk).values(f)[:1]) for f in PERIOD_PROFILE_FIELDS}
    MemberPeriod.objects.bulk_create(
        [MemberPeriod(member=member, cell_id=p.cell_id, status=p.status, exempted=p.exempted, suspended=p.suspended,
                      valid_from=p.valid_from, valid_to=p.valid_to, party_age_start=state.party_age_start,
                      readmitted=state.readmitted_on is not None, **stored) for p in periods]
    )
    _apply_state(member, state)
    member.save(update_fields=[*STATE_FIELDS, "updated_at"])  # not the profile: the instance may be older
    search.move([member])  # the search index holds the current cell
    return state


def _no_progress(items: Iterable, key: str, total: int) -> Iterable:
    return items


def history_rebuild_all(*, progress: Callable[[Iterable, str, int], Iterable] = _no_progress) -> tuple[int, int]:
    """The repair of `dangvu rebuild-history`, in one transaction: every organization's periods and
    every member's periods and cached fields recomputed from the events, then the member search
    index. `progress(items, key, total)` may wrap each loop (key "organizations", then "members"),
    e.g. in a progress bar. Returns how many organizations and members were rebuilt."""
    organizations = members = 0
    with transaction.atomic():
        for org in progress(Organization.objects.all(), "organizations", Organization.objects.count()):
            rebuild_periods(org)
            organizations += 1
        for member in progress(Member.objects.all().iterator(), "members", Member.objects.count()):
            rebuild(member)
            members += 1
        search.rebuild_index()
    return organizations, members


#: Member codes: letters, digits and . _ - (they appear in addresses: /members/<code>/); a few words
#: are the addresses of pages and cannot be codes.
MEMBER_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
RESERVED_CODES = frozenset({"new", "export.xlsx"})


def check_member_code(code: str | None) -> str:
    """The code, stripped, or DomainError when it is empty, malformed or reserved."""
    code = (code or "").strip()
    if not code:
        raise DomainError(_("The member code is required."), field="code")
    if not MEMBER_CODE.match(code) or code.lower() in RESERVED_CODES:
        raise DomainError(_("A member code has up to 32 letters, digits or . _ - (and is not “new”)."), field="code")
    return code


def code_taken(code: str) -> str | None:
    """The code of the member whose code is `code` but for capitals ("NP00226" for "np00226"), or None."""
    return (Member.objects.annotate(code_upper=Upper("code")).filter(code_upper=code.upper())
            .values_list("code", flat=True).first())


def check_code_free(taken: str | None) -> None:
    """Pure (the import checks its rows with it): refused, naming it, when `taken` is the code of an existing
    member equal to the new one but perhaps for capitals (`code_taken`): nobody tells the two apart."""
    if taken is not None:
        raise DomainError(_("A member with code %(code)s already exists.") % {"code": taken}, field="code")


@transaction.atomic
def member_register(
    *,
    code: str,
    full_name: str,
    birth_date: dt.date,
    sex: str,
    ethnicity: str,
    admitted_on: dt.date,
    cell: Organization,
    placed_on: dt.date | None = None,
    made_official_on: dt.date | None = None,
    card_number: str = "",
    decision: Decision = NO_DECISION,
    candidate_id: int | None = None,
    actor=None,
    **profile,
) -> Member:
    """Record a member in the registry: admitted on `admitted_on`, placed in `cell` from `placed_on`.

    When the placement begins later than the admission, the member came from outside this
    database: the events are an admission elsewhere and a transfer in. `candidate_id`: the candidate
    admitted as this member (the same person, holding the same national ID number).
    """
    code = check_member_code(code)
    check_code_free(code_taken(code))
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    data = clean_profile({"full_name": full_name, "sex": sex, "ethnicity": ethnicity, "birth_date": birth_date, **profile})
    check_national_id(data.get("national_id_number"), actor=actor, candidate_id=candidate_id)
    if admitted_on is None:
        raise DomainError(_("The admission date is required."), field="admitted_on")
    check_event_day(admitted_on, None, field="admitted_on", decision=decision)
    check_admission_age(birth_date, admitted_on, field="admitted_on")
    placed_on = placed_on or admitted_on
    check_event_day(placed_on, None, field="placed_on")
    if placed_on < admitted_on:
        raise DomainError(_("The placement cannot begin before the admission date."), field="placed_on")
    if made_official_on:
        check_event_day(made_official_on, None, field="made_official_on")
        if made_official_on <= admitted_on:
            raise DomainError(_("The official date must come after the admission date (%(admitted)s).")
                              % {"admitted": format_date(admitted_on)}, field="made_official_on")
    card_number = check_card_number(card_number)
    check_cell(cell, placed_on)
    member = Member(code=code, admitted_on=admitted_on, cell=cell, status="probationary", **data)
    apply_name(member)
    member.save()
    search.index_new([member])
    user = acting_user(actor)
    events = [
        MemberEvent(member=member, kind=E.ADMITTED, effective_on=admitted_on,
                    cell=cell if placed_on == admitted_on else None, decision_number=decision.number,
                    decision_date=decision.date, issued_by=decision.issued_by, recorded_by=user)
    ]
    if placed_on != admitted_on:
        events.append(MemberEvent(member=member, kind=E.TRANSFERRED_IN, effective_on=placed_on, cell=cell, recorded_by=user))
    if made_official_on:
        events.append(MemberEvent(member=member, kind=E.MADE_OFFICIAL, effective_on=made_official_on, recorded_by=user))
    if card_number:
        if not made_official_on:
            raise DomainError(_("Party cards are issued to official members only."), field="card_number")
        events.append(MemberEvent(member=member, kind=E.CARD_ISSUED, effective_on=max(made_official_on, placed_on),
                                  value=card_number, note=_("Recorded at registration"), recorded_by=user))
    for ev in events:
        ev.save()
    rebuild(member)
    return member


@transaction.atomic
def member_update_profile(member: Member, *, version: int | None = None, actor=None, **changes) -> Member:
    """Correct identity and profile fields: `changes` holds only the fields the user changed, and
    only those are written. `version` is the member's version the changes were made over (the one
    the form was opened on, the API's If-Match); when it has moved on, `EditConflict` and nothing is
    written. Placement and status change only through events."""
    claim_version(member, version)
    allowed = set(PROFILE_FIELDS) | {"full_name", "birth_date", "sex", "ethnicity"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(
            _("These fields cannot be edited here: %(f)s.") % {"f": ", ".join(sorted(unknown))}, field=sorted(unknown)[0]
        )
    data = clean_profile(changes)
    if data.get("national_id_number") and data["national_id_number"] != member.national_id_number:
        check_national_id(data["national_id_number"], actor=actor, member_id=member.pk)
    if "birth_date" in data:
        check_admission_age(data["birth_date"], member.admitted_on, field="birth_date")
    for key, value in data.items():
        setattr(member, key, value)
    fields = set(data)
    if "full_name" in data:
        apply_name(member)
        fields |= set(NAME_FIELDS)
    # only what changed: an instance read before an event was recorded must not put back its old
    # placement (nor, through it, make the search index disagree with the member)
    member.save(update_fields=sorted(fields | {"updated_at"}))
    if "full_name" in data:
        search.reindex([member])
    if fields & set(PERIOD_PROFILE_FIELDS):
        copy_profile_to_periods([member.pk])
    return member


def copy_profile_to_periods(member_ids: list[int] | None = None) -> int:
    """Copy the members' PERIOD_PROFILE_FIELDS onto their periods (MemberPeriod carries them for the
    reports), for `member_ids` or, when None, for every member (the migration that added them): one
    set-based UPDATE … FROM per chunk of ids (SQLite ≥ 3.33 and PostgreSQL). Returns the rows updated."""
    mp, m = MemberPeriod._meta.db_table, Member._meta.db_table
    sets = ", ".join(f"{f} = m.{f}" for f in PERIOD_PROFILE_FIELDS)
    sql = f"UPDATE {mp} SET {sets} FROM {m} m WHERE m.id = {mp}.member_id"
    batches = [None] if member_ids is None else [member_ids[i:i + 5000] for i in range(0, len(member_ids), 5000)]
    n = 0
    with connection.cursor() as cur:
        for ids in batches:
            if ids is None:
                cur.execute(sql)
            else:
                cur.execute(f"{sql} AND {mp}.member_id IN ({', '.join(['%s'] * len(ids))})", ids)
            n += max(cur.rowcount, 0)
    return n


@transaction.atomic
def member_record_event(
    member: Member,
    *,
    kind: str,
    effective_on: dt.date,
    cell: Organization | None = None,
    value: str = "",
    decision: Decision = NO_DECISION,
    note: str = "",
    planned_end: dt.date | None = None,
    actor=None,
    field: str = "effective_on",
) -> MemberEvent:
    """Record a biến động on `effective_on`; refused (and nothing written) if the rules forbid it
    at that point of the member's history, including against later events already recorded, or if it
    is dated after today or before the admission (`check_event_day`).
    `planned_end`: of a suspension only (ignored otherwise). `field`: the caller's input holding
    `effective_on`, named by a refusal of the date."""
    if kind not in E.values or kind == E.ADMITTED:
        raise DomainError(_("Unknown event type."), field="kind")
    if effective_on is None:
        raise DomainError(_("The effective date is required."), field=field)
    check_event_day(effective_on, member.admitted_on, field=field, decision=decision)
    if kind in (E.MOVED, E.TRANSFERRED_IN, E.RESTORED):
        check_cell(cell, effective_on)
    elif cell is not None:
        cell = None
    try:
        return _save_event(member, MemberEvent(
            member=member, kind=kind, effective_on=effective_on, cell=cell, value=(value or "").strip(),
            decision_number=decision.number, decision_date=decision.date, issued_by=decision.issued_by, note=note,
            planned_end=planned_end if kind == E.SUSPENDED else None, recorded_by=acting_user(actor),
        ))
    except DomainError as exc:  # the history refuses the event on its date: said at the caller's date input
        if exc.field == "kind":
            exc.field = field
        raise


@transaction.atomic
def member_readmit(
    member: Member, *, on: dt.date, cell: Organization, decision: Decision = NO_DECISION, note: str = "", actor=None,
) -> MemberEvent:
    """Kết nạp lại: a person who left the Party (removed, expelled, resigned) is admitted again on
    their own record, on the day of the ceremony `on`, in `cell`: an ADMITTED event with the
    decision. The record keeps its code and the first admission date (`admitted_on`); the member is
    probationary again, the probation counting from `on` (`readmitted_on`). The Party's conditions
    of readmission are checked by the caller (lifecycle); the history rules here."""
    if on is None:
        raise DomainError(_("The effective date is required."), field="effective_on")
    check_event_day(on, member.admitted_on, decision=decision)
    check_cell(cell, on)
    return _save_event(member, MemberEvent(
        member=member, kind=E.ADMITTED, effective_on=on, cell=cell, decision_number=decision.number,
        decision_date=decision.date, issued_by=decision.issued_by, note=note, recorded_by=acting_user(actor),
    ))


def refuse_placed_after_cell_ends(periods, cell: Organization) -> None:
    """Refused when the member's history, with the new event, keeps them in `cell` beyond the day the
    cell ended (they would be placed in an organization that no longer exists, out of every figure)."""
    end = Organization.objects.filter(pk=cell.pk).values_list("dissolved_on", flat=True).first()
    if end is None:
        return
    if any(p.cell_id == cell.pk and (p.valid_to is None or p.valid_to > end) for p in periods):
        raise DomainError(
            _("%(cell)s ends on %(end)s: the member would stay placed in it after that day. Choose a cell that "
              "still exists then.") % {"cell": cell.name, "end": format_date(end)},
            field="cell",
        )


def _save_event(member: Member, event: MemberEvent) -> MemberEvent:
    """Save `event` if the member's whole history still replays with it (DomainError before anything
    is written), then rebuild the member's periods and cached state."""
    periods, _state = history.replay([*member.events.all(), event])
    if event.cell_id is not None:
        refuse_placed_after_cell_ends(periods, event.cell)
    event.save()
    rebuild(member)
    return event
