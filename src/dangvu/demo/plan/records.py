"""The demo plan's dates, constants and record types (pure data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dangvu.members.models import MemberEventKind as E

D = dt.date
SEED = 2012
START = D(2012, 10, 1)  # Đảng bộ huyện Nậm Pồ established
END = D(2026, 6, 30)  # the last day the history is generated for
D_UPGRADE = D(2017, 3, 1)
D_SPLIT = D(2018, 8, 1)
D_MERGE = D(2020, 1, 1)
D_2025 = D(2025, 7, 1)
D_CARD_EXCHANGE = D(2025, 9, 2)

PROVINCE = "DB"
DISTRICT = "DB-NP"
DEMO_PASSWORD = "dangvu-demo-2026"
DEMO_USERS = (
    # username, role, scope code, valid_from, later scope (from 01/07/2025) or None
    ("bantochuc", "organizer", DISTRICT, START, PROVINCE),
    ("admin", "admin", PROVINCE, START, None),
    ("bithu_nahy", "secretary", "NP-NAHY", D(2020, 10, 1), None),
    ("bithu_nahy1", "secretary", "NP-NAHY-03", D(2020, 10, 1), None),  # a chi bộ's secretary
)

_DIED, _OUT, _MOVED, _REMOVED, _EXPELLED, _RESIGNED, _DISCIPLINED, _EXEMPTED, _EXEMPTION_ENDED = (
    E.DIED.value, E.TRANSFERRED_OUT.value, E.MOVED.value, E.REMOVED.value, E.EXPELLED.value, E.RESIGNED.value,
    E.DISCIPLINED.value, E.EXEMPTED.value, E.EXEMPTION_ENDED.value,
)




@dataclass(frozen=True)
class Decision:
    number: str = ""
    date: dt.date | None = None
    issued_by: str = ""


@dataclass
class OrgSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    established_on: dt.date | None
    unit_kind: str = ""
    admin_unit_code: str = ""
    decision: Decision = Decision()
    # simulation only
    profile: str = ""
    target: int = 0  # members at the end of its life
    initial: int = 0  # members placed when it starts
    ends_on: dt.date | None = None
    ethnic_mix: tuple = ()
    village: str = ""
    commune: str = ""


@dataclass
class OrgOp:
    """A change to organizations only (written before members): establish, change kind, rename."""

    op: str
    code: str
    day: dt.date
    kind: str = ""
    name: str = ""
    decision: Decision = Decision()
    note: str = ""


@dataclass
class EventSpec:
    kind: str
    day: dt.date
    cell: str | None = None
    value: str = ""
    note: str = ""
    decision: Decision = Decision()


@dataclass
class MemberSpec:
    code: str
    fields: dict
    events: list[EventSpec] = field(default_factory=list)


@dataclass
class Restructuring:
    """A restructuring that moves members or organizations (written after the members)."""

    op: str  # rehome | split | merge | move_orgs | close
    day: dt.date
    source: str = ""
    target: str = ""
    codes: list[str] = field(default_factory=list)
    member_cells: dict[str, str] = field(default_factory=dict)  # member code → cell code
    decision: Decision = Decision()
    note: str = ""


@dataclass
class Plan:
    orgs: list[OrgSpec]
    org_ops: list[OrgOp]
    members: list[MemberSpec]
    restructurings: list[Restructuring]
    users: tuple = DEMO_USERS


