"""Benchmark: saving the rating sheet of one chi bộ of 38 members (assessment:sheet), on SQLite and
PostgreSQL. Not a unit test. For each backend a fresh database is migrated and given a district, a
commune, a chi bộ of 38 official members and the cycle of the current year; then, 15 times each
(median and worst, after one warm-up), measured in-process:

- propose: the POST of the sheet by the chi bộ's secretary (38 proposals, one vote) through Django's
  test client — the view, the form, `cell_reviews_record`, the redirect;
- decide: the POST of the sheet by the commune's organizer (38 decisions with points; every run
  changes every row, alternating 80 and 75 points so that each is a real update) — `ratings_decide`;

    .venv/bin/python bench/rating_sheet.py            # both backends
    BENCH_BACKENDS=sqlite .venv/bin/python bench/rating_sheet.py

PostgreSQL: BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/dangvu_ratescreen_bench, dropped
and created). The figures are printed; bench/findings.md keeps them.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/dangvu_ratescreen_bench")


def child() -> None:
    import datetime as dt

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from dangvu.accounts.services import user_create
    from dangvu.assessment.services import cycle_open
    from dangvu.core.audit import audit_context
    from dangvu.members.services import member_register
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish as est

    today = timezone.localdate()
    d = dt.date(2012, 1, 1)
    with audit_context(source="system"):
        h = est(code="H01", name="Đảng bộ huyện", kind=K.DISTRICT)
        x = est(code="X01", name="Đảng bộ xã Nà Hỳ", kind=K.GRASSROOTS_COMMITTEE, parent=h, established_on=d)
        c = est(code="C01", name="Chi bộ bản Nà Hỳ 1", kind=K.SUBORDINATE_CELL, parent=x, established_on=d)
        members = [member_register(full_name=f"Nguyễn Văn Thành {i}", admitted_on=dt.date(2015, 5, 19), cell=c,
                                   made_official_on=dt.date(2016, 5, 19), code=f"NH{i:03d}",
                                   birth_date=dt.date(1985, 3, 2), sex="M", ethnicity="Kinh") for i in range(38)]
        cycle_open(organization=x, year=today.year, opened_on=today - dt.timedelta(days=5))
    secretary = user_create(username="bithu", organization=c, role="secretary", password="Mat-khau-an-toan-2026")
    organizer = user_create(username="bantochuc", organization=x, role="organizer", password="Mat-khau-an-toan-2026")
    url = f"/assessment/{today.year}/cells/C01/"
    day = f"{today:%d/%m/%Y}"

    def post(client, step, points):
        data = {"step": step, "save": "1"}
        if step == "propose":
            data.update(effective_on=day, comment="Chi bộ thống nhất", votes_due="38", votes_present="36")
            data[f"for-{members[0].pk}"] = "35"  # one member's own vote typed, the others unanimous
        else:
            data.update(decided_on=day, decision_number="15-QĐ/ĐU", issued_by="Đảng ủy xã")
        for m in members:
            data[f"level-{m.pk}"] = "good" if points >= 70 else "completed"
            data[f"points-{m.pk}"] = str(points)
        start = time.perf_counter()
        response = client.post(f"{url}?step={step}", data)
        elapsed = time.perf_counter() - start
        assert response.status_code == 302, response.content.decode()[:2000]
        return elapsed * 1000

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    result = {}
    for name, user, step in (("propose", secretary, "propose"), ("decide", organizer, "decide")):
        client = Client()
        client.force_login(user)
        device, _ = StaticDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        post(client, step, 80)  # warm-up (and, for decide, the first insert of the 38 ratings)
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            from django.conf import settings as dj
            from django.db import connection, reset_queries

            dj.DEBUG = True
            reset_queries()
            with cProfile.Profile() as prof:
                post(client, step, 75)
            print(step, "queries", len(connection.queries), file=sys.stderr)
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats("dangvu|auditlog|bulk_create|execute", 40)
            dj.DEBUG = False
        times = [post(client, step, 75 if i % 2 == 0 else 80) for i in range(RUNS)]
        result[name] = {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "n": RUNS}
    from dangvu.assessment.models import Rating

    assert Rating.objects.count() == 38
    print(json.dumps(result))


def run(backend: str) -> dict:
    env = dict(os.environ, DANGVU_DATA_DIR=tempfile.mkdtemp(prefix="ratescreen-bench-"))
    if backend == "postgresql":
        import psycopg

        name = PG_URL.rsplit("/", 1)[1]
        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DANGVU_DATABASE_URL"] = PG_URL
    else:
        env.pop("DANGVU_DATABASE_URL", None)
    out = subprocess.run([sys.executable, __file__, "child"], env=env, capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        sys.exit(out.stderr[-4000:])
    if os.environ.get("BENCH_PROFILE"):
        print(out.stderr[-30000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:] == ["child"]:
        child()
        return
    for backend in os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(","):
        figures = run(backend)
        for step, f in figures.items():
            print(f"{backend:10} save the 38-member sheet ({step:7}): median {f['median_ms']:6.1f} ms, "
                  f"worst {f['max_ms']:6.1f} ms (n={f['n']})")


if __name__ == "__main__":
    main()
