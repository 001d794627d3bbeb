"""The organizations behind a document, with the names they had on its date, and the header and
signature a Party document takes from them (the issuing committee, its superior, who signs for it)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dangvu import regulations as R
from dangvu.core.documents import DOTS, citation_date
from dangvu.core.text import fold
from dangvu.organizations.models import GRASSROOTS_KINDS, Organization, OrganizationPeriod
from dangvu.organizations.models import OrganizationKind as K
from dangvu.organizations.selectors import ancestors_as_of, committee_name, commune_under_province

_STANDING = "T/M BAN THƯỜNG VỤ"
REPRESENT_BY_KIND = {
    K.PROVINCIAL: _STANDING,
    K.DISTRICT: _STANDING,
    K.GRASSROOTS_COMMITTEE: "T/M ĐẢNG ỦY",
    K.PARTIAL_COMMITTEE: "T/M ĐẢNG ỦY",
    K.GRASSROOTS_CELL: "T/M CHI BỘ",
    K.SUBORDINATE_CELL: "T/M CHI BỘ",
}


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
        for p in OrganizationPeriod.objects.active_on(day).filter(organization_id__in=ids)
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


_PLACE_PREFIX = re.compile(
    r"^(?:ban thuong vu )?(?:(?:dang bo|dang uy|chi bo|chi uy) (?:xa|phuong|thi tran|huyen|thi xa|thanh pho|tinh|"
    r"dac khu)|(?:tinh|huyen|quan|thi|thanh) uy) "
)


def place_of(name: str) -> str:
    """The place name in an organization's name ('Đảng ủy xã Nà Hỳ' → 'Nà Hỳ'), or ''."""
    match = _PLACE_PREFIX.match(fold(name))
    return " ".join(name.split()[len(match.group(0).split()):]) if match else ""


def grassroots_index(units: list[Unit]) -> int:
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
    if fold(text) == "ban thuong vu":  # the standing committee, unnamed: the decider's
        return heading(units, index, standing=True)
    if text:
        bt = fold(text).startswith("ban thuong vu ")
        issuer = " ".join(text.split()[3:]) if bt else text
        key = fold(issuer)
        found = next((i for i, u in enumerate(units) if key in (fold(u.name), fold(committee_name(u)))), None)
        if not bt and found is not None and key == fold(units[found].name) != fold(committee_name(units[found])):
            # a đảng bộ written (the organization the decision was recorded for): its committee decides
            return heading(units, found, standing=standing and found == index)
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


def where(units: list[Unit]) -> tuple[str, str]:
    """(the cell, the organization it belongs to) as written in documents."""
    if not units:
        return DOTS, DOTS
    return units[0].name, units[1].name if len(units) > 1 else DOTS


def proposers(units: list[Unit]) -> str:
    """Who proposes an admission or recognition: the chi bộ, and the đảng ủy cơ sở above a
    subordinate cell."""
    if not units:
        return DOTS
    g = grassroots_index(units)
    if g == 0:
        return units[0].name
    return f"{units[0].name} và {committee_name(units[g])}"


def decider(units: list[Unit], authority: str) -> tuple[int, bool]:
    """Index in `units` of the body deciding admissions and recognitions under the rules, and whether
    its standing committee (ban thường vụ) decides."""
    g = grassroots_index(units)
    if authority == "grassroots_standing_committee":
        return g, units[g].kind == K.GRASSROOTS_COMMITTEE if units else False
    if authority == "provincial_standing_committee":
        for i, unit in enumerate(units):
            if unit.kind == K.PROVINCIAL:
                return i, True
    if g + 1 < len(units) and commune_under_province(units[g].kind, units[g + 1].kind):
        return g, True
    return (g + 1, True) if g + 1 < len(units) else (g, False)


def regulation_citation(rules: R.RuleSet, day: dt.date) -> str:
    """'Quy định số 294-QĐ/TW, ngày 26-5-2025 của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng'; without
    number before the first encoded regulation took effect (`rules_on` then gives it only as an approximation)."""
    if day < rules.effective_from:
        return "Quy định của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng"
    number = rules.code.removeprefix("QĐ ").strip()
    about = rules.title.removeprefix("Quy định").strip()
    return f"Quy định số {number}, ngày {citation_date(rules.issued_on)} của Ban Chấp hành Trung ương về {about}"
