"""`report summary` (contracts §1, §3): the figures of `snapshot` (and, for a year, of `flows` and
`assessment`) written as a committee writes them in its report — a drafted Vietnamese paragraph, the
numbers and percentages in Vietnamese form (2.260; 24,8%: one decimal, computed from the counts) —
as text, JSON or a .docx (`core.documents`, template `document_templates/summary.docx`).

The paragraph is a document: it is written in the documents' language (Vietnamese) whatever the
language of the interface (`core.documents.in_document_language`).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dangvu import regulations as R
from dangvu.core.documents import in_document_language, render, vietnamese_date
from dangvu.core.errors import DomainError
from dangvu.lifecycle.documents.header import chain, heading
from dangvu.organizations.models import Organization

from . import queries
from .exporters import safe_code

SHIPPED_DIR = Path(__file__).resolve().parent / "document_templates"
TEMPLATE = "summary.docx"
#: The formats of `report summary` (the first is the default).
FORMATS = ("text", "json", "docx")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def summary_title() -> str:
    return _("Summary of the figures")


def number(n: int) -> str:
    """A count in Vietnamese form: 2.260."""
    return f"{int(n):,}".replace(",", ".")


def percent(n: int, total: int) -> str:
    """The share `n` of `total` in Vietnamese form with one decimal, rounded half up from the counts: 24,8%."""
    if not total:
        return ""
    value = (Decimal(int(n)) * 100 / Decimal(int(total))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}".replace(".", ",") + "%"


def _organizations_text(orgs: dict) -> list[str]:
    parts = []
    if orgs["grassroots"]:
        parts.append(_("%(n)s grassroots party organizations, of which %(committees)s grassroots party committees, "
                       "%(cells)s grassroots party cells") % {
            "n": number(orgs["grassroots"]), "committees": number(orgs["grassroots_committees"]),
            "cells": number(orgs["grassroots_cells"])})
    if orgs["partial_committees"]:
        parts.append(_("%(n)s partial party committees") % {"n": number(orgs["partial_committees"])})
    if orgs["subordinate_cells"]:
        parts.append(_("%(n)s subordinate party cells") % {"n": number(orgs["subordinate_cells"])})
    return parts


def _members_text(members: dict) -> str:
    total = members["total"]
    text = _("%(n)s party members (%(official)s official, %(probationary)s probationary)") % {
        "n": number(total), "official": number(members["official"]), "probationary": number(members["probationary"])}
    if not total:
        return text
    of_which = [
        _("%(n)s women (%(percent)s)") % {"n": number(members["female"]), "percent": percent(members["female"], total)},
        _("%(n)s from ethnic minorities (%(percent)s)") % {
            "n": number(members["ethnic_minority"]), "percent": percent(members["ethnic_minority"], total)},
        _("%(n)s religious followers (%(percent)s)") % {
            "n": number(members["religious"]), "percent": percent(members["religious"], total)},
    ]
    text += _(", of which %(list)s") % {"list": ", ".join(of_which)}
    if members["exempted"]:
        text += "; " + _("%(n)s members exempted from party work and activities") % {"n": number(members["exempted"])}
    return text


def _flows_text(data: dict, year: int) -> str:
    parts = [_("admitted %(n)s new party members") % {"n": number(data["admitted"])},
             _("recognized %(n)s official members") % {"n": number(data["made_official"])}]
    moves = [(key, label) for key, label in (
        ("transferred_in", _("transferred in %(n)s")), ("restored", _("membership restored to %(n)s")),
        ("transferred_out", _("transferred out %(n)s")), ("died", _("deceased %(n)s")),
        ("removed", _("removed from the Party %(n)s")), ("expelled", _("expelled %(n)s")),
        ("resigned", _("left the Party %(n)s"))) if data.get(key)]
    if moves:
        parts.append(", ".join(label % {"n": number(data[key])} for key, label in moves))
    if data["cards_issued"]:
        parts.append(_("issued %(n)s party cards") % {"n": number(data["cards_issued"])})
    badges = data["badges_awarded"]
    if badges:
        detail = ", ".join(ngettext("%(n)s %(years)s-year badge", "%(n)s %(years)s-year badges", n) % {
            "n": number(n), "years": years} for years, n in badges.items())
        parts.append(_("awarded the Party badge to %(n)s members (%(detail)s)") % {
            "n": number(sum(badges.values())), "detail": detail})
    return _("In %(year)s, %(list)s.") % {"year": year, "list": "; ".join(parts)}


def _level(key: str) -> str:
    label = str(R.KEY_NAMES[key])
    return label[:1].lower() + label[1:]


def _assessment_text(data: dict) -> str | None:
    groups = []
    for key, label in (("organizations", _("grassroots party organizations")),
                       ("subordinate_cells", _("subordinate party cells")), ("members", _("party members"))):
        group = data[key]
        if not group["rated"]:
            continue
        levels = ", ".join(_("%(n)s %(level)s (%(percent)s)") % {
            "n": number(n), "level": _level(level), "percent": percent(n, group["rated"])}
            for level, n in group["by_rating"].items() if n)
        groups.append(_("%(group)s: %(n)s rated, %(levels)s") % {"group": label, "n": number(group["rated"]),
                                                                "levels": levels})
    if not groups:
        return None
    return _("Quality assessment and rating of %(year)s: %(groups)s.") % {"year": data["year"],
                                                                        "groups": "; ".join(groups)}


@in_document_language
def summary(org: Organization, as_of: dt.date, year: int | None = None) -> dict:
    """Contracts §3 `report summary`: {"org", "as_of", "text"} (and "year" when given). The text: the
    snapshot of `as_of`; with `year`, the flows of that year (up to `as_of` when it falls in it) and its
    assessment."""
    snap = queries.snapshot(org, as_of)
    name = snap["org"]["name"]
    parts = [*_organizations_text(snap["organizations"]), _members_text(snap["members"])]
    sentences = [_("As of %(day)s, %(org)s has %(list)s.") % {
        "day": as_of.strftime("%d/%m/%Y"), "org": name, "list": "; ".join(parts)}]
    if year is not None:
        end = min(dt.date(year, 12, 31), as_of) if year == as_of.year else dt.date(year, 12, 31)
        sentences.append(_flows_text(queries.flows(org, dt.date(year, 1, 1), end), year))
        try:
            rated = _assessment_text(queries.assessment(org, year))
        except DomainError:  # the organization did not exist at the end of that year
            rated = None
        if rated:
            sentences.append(rated)
    text = " ".join(sentences)
    result = {"org": {"code": org.code, "name": name}, "as_of": as_of.isoformat(), "text": text}
    if year is not None:
        result["year"] = year
    return result


def summary_filename(data: dict, extension: str = "docx") -> str:
    """A safe ASCII file name: tong-hop-CODE-YYYY-MM-DD.ext."""
    return f"tong-hop-{safe_code(data['org']['code'])}-{data['as_of']}.{extension}"


@in_document_language
def summary_context(org: Organization, data: dict, *, today: dt.date | None = None) -> dict:
    """The values of the summary's template: the header of `org`'s committee, the day, the paragraph."""
    today = today or timezone.localdate()
    as_of = dt.date.fromisoformat(data["as_of"])
    return {**heading(chain(org, as_of), 0), "number": "……-BC/……", "date": vietnamese_date(today),
            "as_of": as_of.strftime("%d/%m/%Y"), "org_name": data["org"]["name"], "text": data["text"]}


def summary_docx(org: Organization, data: dict) -> bytes:
    """The summary as a Party report (.docx), from the administrator's template or the shipped one."""
    return render(TEMPLATE, summary_context(org, data), shipped_dir=SHIPPED_DIR)
