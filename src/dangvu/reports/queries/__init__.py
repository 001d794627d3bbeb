"""Report queries: set-based aggregates over the dated tree and the member periods.

Every report here is one (or two) SQL statements built on `subtree_as_of_sql`, the recursive CTE
that gives the organization's subtree as the tree stood on a day, and runs unchanged on SQLite
and PostgreSQL. Nothing loops over members in Python.
"""

from .assessment import (
    assessment,
    assessment_ratings,
    group_keys,
)
from .assessment_lists import (
    NOT_RATED,
    NOT_RATED_FIGURES,
    RATED,
    STREAK_DEFAULT_YEARS,
    STREAK_MAX_YEARS,
    assessment_figure,
    check_figure,
    check_streak,
    excellent_levels,
    excellent_mapping,
    excellent_streak,
    figure_keys,
    figure_label,
)
from .badges import (
    badges,
)
from .checks import (
    CHECK_CODES,
    checks,
)
from .common import (
    KINH,
    ME,
    MEMBER_KEYS,
    MP,
    OE,
    OP,
    ORG,
    ORG_KEYS,
    E,
    K,
    M,
)
from .flows import (
    FLOW_DECREASES,
    FLOW_INCREASES,
    FLOW_KEYS,
    FLOW_LIST_KEYS,
    FLOW_REORGANIZED,
    flow_members,
    flows,
    flows_unexplained,
)
from .profile import (
    BREAKDOWNS,
    profile,
    profile_by_child,
    profile_member_ids,
)
from .snapshot import (
    ARRAY_MAX,
    _snapshot_sql,
    children_counts,
    children_on,
    dashboard,
    recent_events,
    snapshot,
    snapshot_by_child,
    snapshot_reference_sql,
)

__all__ = [
    "NOT_RATED",
    "NOT_RATED_FIGURES",
    "RATED",
    "STREAK_DEFAULT_YEARS",
    "STREAK_MAX_YEARS",
    "assessment_figure",
    "check_figure",
    "check_streak",
    "excellent_levels",
    "excellent_mapping",
    "excellent_streak",
    "figure_keys",
    "figure_label",
    "ARRAY_MAX",
    "BREAKDOWNS",
    "CHECK_CODES",
    "E",
    "FLOW_DECREASES",
    "FLOW_INCREASES",
    "FLOW_KEYS",
    "FLOW_LIST_KEYS",
    "FLOW_REORGANIZED",
    "K",
    "KINH",
    "M",
    "ME",
    "MEMBER_KEYS",
    "MP",
    "OE",
    "OP",
    "ORG",
    "ORG_KEYS",
    "_snapshot_sql",
    "assessment",
    "assessment_ratings",
    "badges",
    "checks",
    "children_counts",
    "children_on",
    "dashboard",
    "flow_members",
    "flows",
    "flows_unexplained",
    "group_keys",
    "profile",
    "profile_by_child",
    "profile_member_ids",
    "recent_events",
    "snapshot",
    "snapshot_by_child",
    "snapshot_reference_sql",
]
