"""The demo party organization, generated as a plan in memory (pure: no database access).

A mountain district party committee of Điện Biên province, "Đảng bộ huyện Nậm Pồ", as it could
have been recorded from its establishment on 01/10/2012 up to 30/06/2026: 15 commune committees,
the district police and military committees, district agencies, schools and a health centre
(about 40 grassroots organizations and 150 subordinate cells), about 2,300 members (≈80% ethnic
minorities: Mông, Thái, Khơ Mú, Dao, Hoa; ≈25% women). The names of villages and people are
invented but plausible; administrative unit codes are the real ones of vietnam-provinces (the
communes after 2025). Decision numbers are invented.

History, simulated month by month with a seeded random generator so that the plan is the same
on every run:
- members of the old Mường Nhé district placed here on 01/10/2012 (admitted elsewhere earlier);
- admissions (the probation of the rules, then official or, rarely, removed from the list), transfers in
  and out, moves between cells, deaths, removals, an expulsion or two, discipline, exemptions of
  elderly members, party cards (and the 2025 card exchange), badges at the milestones of the rules;
- restructurings: the health centre's chi bộ cơ sở upgraded to a đảng bộ cơ sở (01/03/2017), a
  village chi bộ split in two (01/08/2018), commune Nậm Khăn merged into Chà Tở (01/01/2020), and
  the end of the district level (01/07/2025): every grassroots organization moves under the
  provincial committee and the district committee is dissolved.

Member events never fall on the first day of a month; organizations change only on first days.
So a restructuring on day D never coincides with a member's own event, and the members a
restructuring re-homes are exactly those the simulation had in the cell on D.
"""

from __future__ import annotations

import random

from .records import (
    D_2025,
    D_CARD_EXCHANGE,
    D_MERGE,
    D_SPLIT,
    D_UPGRADE,
    DEMO_PASSWORD,
    DEMO_USERS,
    DISTRICT,
    END,
    PROVINCE,
    SEED,
    START,
    D,
    Decision,
    EventSpec,
    MemberSpec,
    OrgOp,
    OrgSpec,
    Plan,
    Restructuring,
)
from .simulation import _Sim
from .tree import HU, TU, build_orgs

__all__ = [
    "D",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "DISTRICT",
    "D_2025",
    "D_CARD_EXCHANGE",
    "D_MERGE",
    "D_SPLIT",
    "D_UPGRADE",
    "Decision",
    "END",
    "EventSpec",
    "MemberSpec",
    "OrgOp",
    "OrgSpec",
    "PROVINCE",
    "Plan",
    "Restructuring",
    "SEED",
    "START",
    "HU",
    "TU",
    "build_orgs",
    "build_plan",
]

def build_plan(seed: int = SEED) -> Plan:
    """The whole demo (organizations, members with their events, restructurings), from `seed`."""
    rng = random.Random(seed)
    orgs, ops, restructurings = build_orgs(rng)
    sim = _Sim(rng, orgs, restructurings)
    sim.run()
    return Plan(orgs, ops, [m.spec for m in sim.members], restructurings)
