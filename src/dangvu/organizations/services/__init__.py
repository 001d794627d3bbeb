"""Organization operations (thành lập, đổi tên, chuyển giao, nâng cấp, giải thể).

Each operation is one transaction: it validates against the tree as it stood on the event's
date, writes an `OrganizationEvent`, and rebuilds the derived periods of that organization.
Merges and splits move members too, so they live in `dangvu.members.restructuring`.

Modules: `establish`, `changes` (the dated changes and the correction of details), `events` (the
events, their periods and the paths of the tree), `checks`, `decision` (the decision and the vote).
"""

from __future__ import annotations

from .changes import (
    next_kind_change,
    organization_change_kind,
    organization_close,
    organization_move,
    organization_rename,
    organization_update_details,
)
from .checks import check_details, check_end_after_children, check_parent_outlives, check_placement
from .decision import NO_DECISION, Decision, Vote
from .establish import NewOrganization, organization_establish, organizations_establish_many
from .events import derive_periods, rebuild_periods, recompute_paths, tree_path

__all__ = [
    "Decision",
    "NO_DECISION",
    "NewOrganization",
    "Vote",
    "check_details",
    "check_end_after_children",
    "check_parent_outlives",
    "check_placement",
    "derive_periods",
    "organization_change_kind",
    "organization_close",
    "organization_establish",
    "organization_move",
    "organization_rename",
    "organization_update_details",
    "next_kind_change",
    "organizations_establish_many",
    "rebuild_periods",
    "recompute_paths",
    "tree_path",
]
