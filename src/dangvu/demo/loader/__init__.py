"""Write the demo plan (plan.py) into the database through the domain services.

Order (see plan.py for why it is consistent):
1. organizations: establishments, the upgrade of the health centre (change of kind, rename);
2. every member with their events in one `members.bulk.bulk_write` (audited, source "system");
3. restructurings that move members or organizations, in date order, through the services of
   members/restructuring.py and the organizations services;
4. one member readmitted (kết nạp lại) and one whose membership is restored (khôi phục đảng tịch),
   through the services; one suspended from party activities in 2024 and the suspension lifted in 2025
   (`suspensions`; another one suspended now is part of step 7);
5. the demo logins;
6. a few candidates for admission at different steps, dated relative to today so that the to-do
   page always has something due;
7. the recorded ratings (xếp loại chất lượng) of 2021–2025 of every member and organization
   (`demo.ratings`: realistic shares within each year's cap, members disciplined in the year "not
   completed"), through the assessment's bulk service; five years, so that the list of those
   excellent five years in a row (the default) has names; and the 2026 assessment opened in two
   grassroots organizations, part of its steps done (the to-do page shows what remains).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from dangvu.core.audit import audit_context

from .. import plan as demo_plan
from .assessment import write_cycles, write_ratings
from .candidates import write_candidates
from .registry import restructure, write_members, write_organizations
from .returns import write_returns
from .suspensions import write_past_suspension
from .users import write_users


def load_demo(seed: int = demo_plan.SEED) -> dict:
    """Load the demo organization into the (empty) database; all-or-nothing. Returns counts."""
    p = demo_plan.build_plan(seed)
    with audit_context(source="system"), transaction.atomic():
        orgs = write_organizations(p)
        counts = write_members(p, orgs)
        restructure(p)
        returns = write_returns()
        suspensions = write_past_suspension()
        write_users(p)
        candidates = write_candidates(timezone.localdate())
        ratings = write_ratings()
        cycles = write_cycles(timezone.localdate())
    return {"organizations": len(p.orgs), **counts, "returns": returns, "suspensions": suspensions, "candidates": candidates,
            "ratings": ratings, "cycles": cycles}
