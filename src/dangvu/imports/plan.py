"""What an import will write, decided by the checks (`check_*`) and carried out by `writing`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from dangvu.assessment.models import Rating

from .context import Ev, OrgInfo
from .rows import EventRow, MemberRow, RatingRow


@dataclass
class Plan:
    new_orgs: list[OrgInfo] = field(default_factory=list)  # parents first
    org_updates: list[tuple[OrgInfo, str]] = field(default_factory=list)  # (organization, new unit kind)
    closings: list[OrgInfo] = field(default_factory=list)  # dissolved on `closing_on`
    new_member_rows: dict[str, MemberRow] = field(default_factory=dict)  # code → row of a new member
    to_write: list[str] = field(default_factory=list)  # codes of the members whose events are written, in order
    new_events: dict[str, list[tuple[Ev, EventRow | MemberRow]]] = field(default_factory=lambda: defaultdict(list))
    member_updates: list[tuple[int, dict, dict]] = field(default_factory=list)  # (member id, old, new) profile
    #: code → (admitted_on, ended_on, [(cell code, from, to, exempted, suspended)]) of the rated members replayed here;
    #: None: use the stored periods
    member_info: dict[str, tuple | None] = field(default_factory=dict)
    rating_new: list[RatingRow] = field(default_factory=list)
    rating_changed: list[tuple[Rating, RatingRow]] = field(default_factory=list)
    member_pk: dict[str, int] = field(default_factory=dict)  # new members written so far: code → id
    #: code → (periods, state, a new member's own events with its row) of the members checked and not
    #: written yet (cells as codes), kept only while writing (`keep_replays`): the writer hands them to
    #: bulk_write, which need not replay again
    replays: dict[str, tuple] = field(default_factory=dict)
    keep_replays: bool = False
