"""Timing of `report profile`, `report checks` and `report summary` on a synthetic province.

    DANGVU_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/dangvu_xyz_bench \
        .venv/bin/python bench/profile_checks.py [MEMBERS]

Migrates the database, fills it with `dangvu synth --members MEMBERS` (default 200,000) when it holds
no member, then times each report for the root organization (all members) and for one grassroots
organization, as of today and as of 31/12 of last year: median of 5 runs after a warm-up. Prints a
Markdown table (to be copied into bench/findings.md). Not part of the application.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(fn, runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    members = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dangvu.members.models import Member
    from dangvu.organizations.models import GRASSROOTS_KINDS, Organization
    from dangvu.reports import queries, summary

    call_command("migrate", verbosity=0)
    if not Member.objects.exists():
        start = time.perf_counter()
        call_command("synth", members=members)
        print(f"synth {members:,} members: {time.perf_counter() - start:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE")
    root = Organization.objects.filter(parent__isnull=True).order_by("id").first()
    commune = Organization.objects.filter(kind__in=GRASSROOTS_KINDS).order_by("id").first()
    today = dt.date.today()
    days = {"today": today, "31/12 last year": dt.date(today.year - 1, 12, 31)}
    print(f"\n{connection.vendor}, {Member.objects.count():,} members\n")
    print("| report | subtree | as of | members | median ms |\n|---|---|---|---|---|")
    for org in (root, commune):
        for label, day in days.items():
            total = queries.profile(org, day)["members"]["total"]
            for name, fn in (("profile", lambda o=org, d=day: queries.profile(o, d)),
                             ("checks", lambda o=org, d=day: queries.checks(o, d)),
                             ("summary (with --year)", lambda o=org, d=day: summary.summary(o, d, d.year))):
                print(f"| {name} | {org.code} | {label} | {total:,} | {_timed(fn):.0f} |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
