"""What a rating is of (a member or an organization) and the groups it is counted in (contracts §3
`report assessment`): grassroots organizations, subordinate cells, members, others."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MEMBER = "member"
ORGANIZATION = "organization"
BOTH = frozenset({MEMBER, ORGANIZATION})

#: The groups a rating is counted in (contracts §3 `report assessment`).
MEMBERS = "members"
SUBORDINATE_CELLS = "subordinate_cells"
ORGANIZATIONS = "organizations"  # grassroots organizations (tổ chức cơ sở đảng)
OTHER = "other"  # partial committees and committees above grassroots
GROUPS = (ORGANIZATIONS, SUBORDINATE_CELLS, MEMBERS)
GROUP_NAMES = {
    ORGANIZATIONS: _("grassroots organizations"),
    SUBORDINATE_CELLS: _("subordinate party cells"),
    MEMBERS: _("party members"),
    OTHER: _("other organizations"),
}


def group_of(kind: str | None) -> str:
    """The group a rating counts in, from the organization's kind (None: a member)."""
    if kind is None:
        return MEMBERS
    if kind in ("grassroots_committee", "grassroots_cell"):
        return ORGANIZATIONS
    if kind == "subordinate_cell":
        return SUBORDINATE_CELLS
    return OTHER
