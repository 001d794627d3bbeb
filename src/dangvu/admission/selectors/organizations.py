"""The organizations around a chi bộ (current tree) that the admission passes through: its grassroots
organization, a partial committee between them, the level that decides and its label."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dangvu import regulations as R
from dangvu.organizations.models import Organization, OrganizationKind
from dangvu.organizations.selectors import commune_under_province


def grassroots_of(cell: Organization) -> Organization:
    """The grassroots organization (tổ chức cơ sở đảng) of a chi bộ: itself for a chi bộ cơ sở, else
    the đảng ủy cơ sở above it."""
    org, seen = cell, set()
    while org is not None and org.pk not in seen:
        if org.kind in (OrganizationKind.GRASSROOTS_CELL, OrganizationKind.GRASSROOTS_COMMITTEE):
            return org
        seen.add(org.pk)
        org = org.parent
    return cell


def is_grassroots_cell(cell: Organization) -> bool:
    """A chi bộ cơ sở: no đảng ủy cơ sở votes after it."""
    return cell.kind == OrganizationKind.GRASSROOTS_CELL


def has_partial_committee(cell: Organization) -> bool:
    """Whether a đảng ủy bộ phận stands between the chi bộ and the đảng ủy cơ sở (its review report,
    7-KNĐ, is then part of the file)."""
    org = cell.parent
    while org is not None and org.kind not in (OrganizationKind.GRASSROOTS_COMMITTEE, OrganizationKind.GRASSROOTS_CELL):
        if org.kind == OrganizationKind.PARTIAL_COMMITTEE:
            return True
        org = org.parent
    return False


def deciding_authority(rules: R.RuleSet, *, delegated: bool = False) -> str:
    """Who decides the admission under `rules`: a key of `regulations.AUTHORITY_LABELS`, or
    "delegated_grassroots_committee" when the đảng ủy cơ sở was delegated (ủy quyền) to admit."""
    return "delegated_grassroots_committee" if delegated else rules.admission_decided_by


def deciding_org(cell: Organization, authority: str) -> Organization:
    """The organization whose committee decides: the level above the grassroots organization, or the
    grassroots organization itself (delegation; the BTV of the đảng ủy cơ sở under QĐ 208)."""
    grassroots = grassroots_of(cell)
    if authority == "delegated_grassroots_committee" or (
        authority == "grassroots_standing_committee" and grassroots.kind == OrganizationKind.GRASSROOTS_COMMITTEE
    ):
        return grassroots
    if authority == "provincial_standing_committee":
        org = grassroots
        while org.parent is not None:
            org = org.parent
        return org
    if grassroots.parent is not None and commune_under_province(grassroots.kind, grassroots.parent.kind):
        return grassroots
    return grassroots.parent or grassroots



def authority_label(authority: str) -> str:
    if authority == "delegated_grassroots_committee":
        return _("grassroots party committee delegated to admit")
    return str(R.AUTHORITY_LABELS.get(authority, authority))
