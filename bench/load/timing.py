"""Server time and query count of single requests (Django test client, one at a time, min of N), as a
province user and a commune user of the load test's database (bench/load/prepare.py made them).

    DANGVU_DATABASE_URL=postgresql://…/dangvu_load PYTHONPATH=src python bench/load/timing.py [N]

Prints a markdown table (results.md "Single requests"). Reads only (GET requests).
"""

from __future__ import annotations

import os
import sys
import time


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dangvu.accounts.models import RoleAssignment
    from dangvu.lifecycle.todo import next_award_date
    from dangvu.members.models import Member

    settings.ALLOWED_HOSTS = ["*"]
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    users = get_user_model().objects
    province, commune = users.get(username="load-ps01"), users.get(username="load-cs01")
    root = RoleAssignment.objects.filter(user=province).first().organization
    c_org = RoleAssignment.objects.filter(user=commune).first().organization
    award = next_award_date(timezone.localdate())
    member = Member.objects.filter(cell__parent=c_org).order_by("code").first()
    plan = [
        ("province", "/organizations/"), ("commune", "/organizations/"),
        ("province", "/members/?page=1"), ("commune", "/members/?page=1"),
        ("province", "/members/?q=thanh"), ("commune", "/members/?q=thanh"),
        ("province", f"/members/{member.code}/"), ("province", f"/organizations/{c_org.code}/"),
        ("province", "/"), ("commune", "/"),
        ("province", f"/reports/snapshot/?org={root.code}"), ("province", f"/reports/flows/?org={root.code}"),
        ("commune", f"/reports/flows/?org={c_org.code}"),
        ("commune", f"/reports/badges/?org={c_org.code}"), ("province", f"/reports/badges/?org={root.code}"),
        ("province", f"/api/reports/badges/?org={root.code}&award_date={award:%Y-%m-%d}"),
    ]
    extra = [line.split(" ", 1) for line in os.environ.get("TIMING_EXTRA", "").split(";") if line.strip()]
    plan += [(who, url.replace("ROOT", root.code).replace("COMMUNE", c_org.code)) for who, url in extra]
    clients = {}
    for who, user in (("province", province), ("commune", commune)):
        clients[who] = Client(HTTP_HOST="localhost")
        clients[who].force_login(user)
    print("| as | request | ms | queries | SQL ms | status |\n|---|---|---|---|---|---|")
    for who, url in plan:
        best = None
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = clients[who].get(url)
                elapsed = time.perf_counter() - start
            sql = sum(float(q["time"]) for q in ctx.captured_queries)
            if best is None or elapsed < best[0]:
                best = (elapsed, len(ctx.captured_queries), sql, response.status_code)
        print(f"| {who} | {url} | {best[0] * 1000:,.0f} | {best[1]} | {best[2] * 1000:,.0f} | {best[3]} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
