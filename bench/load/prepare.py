"""Prepare the load test (bench/load/run.sh): the 200,000-member province, the logins, and the plan.

On the database of DANGVU_DATABASE_URL (PostgreSQL): unless the synthetic province SYN<seed> is there,
migrate and `dangvu synth --members LOAD_MEMBERS` (then VACUUM ANALYZE); create the logins of the
virtual users (the `dangvu user add` service; roles without two-factor sign-in: secretary and
viewer); write `plan.json` into LOAD_OUT for the locustfile: logins, organizations, search queries,
and for every commune a pool of official members nobody has touched today (each write of a run takes
its own member, so every written value can be checked afterwards), with a sibling chi bộ to transfer
to, and the card numbers already held (new ones must differ).
"""

from __future__ import annotations

import json
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

MEMBERS = int(os.environ.get("LOAD_MEMBERS", "200000"))
SEED = int(os.environ.get("LOAD_SEED", "1"))
OUT = Path(os.environ.get("LOAD_OUT", "/tmp/dangvu-load"))
PASSWORD = "load-test-2026"
#: Logins: (prefix, count, level, role). Province-level users read the whole province and run its
#: reports; commune-level ones (most of a province's users) work within their commune.
LOGINS = (("load-pv", 4, "province", "viewer"), ("load-ps", 6, "province", "secretary"),
          ("load-cv", 10, "commune", "viewer"), ("load-cs", 30, "commune", "secretary"))
POOL_PER_COMMUNE = 400
SEARCHES = 600


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()


def _ensure_province(root_code: str) -> None:
    from django.core.management import call_command
    from django.db import connection

    from dangvu.organizations.models import Organization

    call_command("migrate", interactive=False, verbosity=0)
    if Organization.objects.filter(code=root_code).exists():
        return
    from dangvu.demo.synth import synth

    print(f"synth: {MEMBERS} members into {connection.settings_dict['NAME']} …", flush=True)
    print(synth(MEMBERS, SEED), flush=True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def _logins(root, communes) -> list[dict]:
    from django.contrib.auth import get_user_model

    from dangvu.accounts.services import user_create

    User = get_user_model()
    out = []
    for prefix, count, level, role in LOGINS:
        for i in range(1, count + 1):
            username = f"{prefix}{i:02d}"
            org = root if level == "province" else communes[(i * 7 + len(prefix)) % len(communes)]
            if not User.objects.filter(username=username).exists():
                user_create(username=username, organization=org, role=role, password=PASSWORD, check_password=False)
            out.append({"username": username, "password": PASSWORD, "level": level, "role": role, "org": org.code})
    return out


def main() -> int:
    _django()
    from django.utils import timezone

    from dangvu.core.text import fold
    from dangvu.lifecycle.models import Transfer
    from dangvu.members.models import Member, MemberEvent, MemberStatus
    from dangvu.organizations.models import Organization, OrganizationKind

    root_code = f"SYN{SEED}"
    _ensure_province(root_code)
    root = Organization.objects.get(code=root_code)
    today = timezone.localdate()
    rng = random.Random(int(today.strftime("%Y%m%d")))
    communes = list(Organization.objects.filter(parent=root, kind=OrganizationKind.GRASSROOTS_COMMITTEE,
                                                dissolved_on__isnull=True).order_by("code"))
    cells = list(Organization.objects.filter(parent__in=communes, kind=OrganizationKind.SUBORDINATE_CELL,
                                             dissolved_on__isnull=True).values_list("code", "parent__code"))
    cells_of = defaultdict(list)
    for code, parent in cells:
        cells_of[parent].append(code)
    logins = _logins(root, communes)

    # Members no earlier run has touched today (no event on or after today), not in transit.
    touched = set(MemberEvent.objects.filter(effective_on__gte=today).values_list("member_id", flat=True))
    touched |= set(Transfer.objects.filter(received_on__isnull=True).values_list("member_id", flat=True))
    pool = {}
    rows = (Member.objects.filter(status=MemberStatus.OFFICIAL, exempted=False, cell__parent__in=communes)
            .values_list("id", "code", "cell__code", "cell__parent__code"))
    by_commune = defaultdict(list)
    for pk, code, cell, commune in rows.iterator(chunk_size=20_000):
        if pk not in touched:
            by_commune[commune].append((code, cell))
    for commune, members in by_commune.items():
        rng.shuffle(members)
        siblings = cells_of[commune]
        pool[commune] = [{"code": code, "cell": cell, "to_cell": rng.choice([c for c in siblings if c != cell])}
                         for code, cell in members[:POOL_PER_COMMUNE] if len(siblings) > 1]

    # Members to read and search for, drawn in every commune (a commune user reads only its own: a draw
    # over the whole province left small communes without any, and their users then read members of
    # other communes, which answer 404 — the 1 % of 404s of the earlier runs).
    per_commune = -(-SEARCHES // max(len(communes), 1))
    sample = []
    for commune in communes:
        rows = (Member.objects.filter(cell__path__startswith=commune.path).order_by("?")
                .values_list("code", "family_name", "middle_name", "given_name")[:per_commune])
        sample += [(*row, commune.code) for row in rows]
    searches, member_codes = [], defaultdict(list)
    for i, (code, family, middle, given, commune) in enumerate(sample):
        text = (f"{family} {middle} {given}", f"{family} {given}", given)[i % 3]
        searches.append({"q": fold(" ".join(text.split())), "commune": commune})
        member_codes[commune].append(code)

    plan = {
        "today": today.isoformat(),
        "root": root.code,
        "logins": logins,
        "communes": [c.code for c in communes],
        "cells": cells_of,
        "agencies": list(Organization.objects.filter(parent=root, kind=OrganizationKind.GRASSROOTS_CELL)
                         .values_list("code", flat=True)),
        "members": member_codes,
        "searches": searches,
        "pool": pool,
        "cards_taken": sorted(n for n in Member.objects.exclude(card_number="").values_list("card_number", flat=True)
                              .distinct()),
        "member_count": Member.objects.filter(cell__path__startswith=root.path).count(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "plan.json").write_text(json.dumps(plan, ensure_ascii=False))
    print(f"plan: {len(logins)} logins, {len(communes)} communes, {sum(map(len, pool.values()))} members in the "
          f"write pool, {plan['member_count']} members in {root.code}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
