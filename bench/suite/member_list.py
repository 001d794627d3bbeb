"""The member list step: /members/ through Django's test client, and its query count at each scope."""

from __future__ import annotations

import time
import urllib.parse

from .samples import _admin, _queries, _subtrees
from .settings import STEP_BUDGET
from .timing import pct


def w_list(args):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = _admin()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    import random

    rng = random.Random(7)
    queries = [q for _k, q in _queries(args["searches"] * 2)][: args["searches"]]
    pages = [1, 2, 3, 10, 50, 100, 200] + [rng.randint(1, 200) for _ in range(args["pages"] - 7)]
    client.get("/members/")  # warm-up
    out = {}
    for label, urls in (("page", [f"/members/?page={p}" for p in pages]),
                        ("search", [f"/members/?q={urllib.parse.quote(q)}" for q in queries])):
        times, counts, statuses = [], [], set()
        started = time.perf_counter()
        for i, url in enumerate(urls):
            if i >= 30 and time.perf_counter() - started > STEP_BUDGET / 2:
                break
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - t) * 1000)
            counts.append(len(ctx.captured_queries))
            statuses.add(r.status_code)
        out[label] = {"n": len(times), "p50": pct(times, .5), "p95": pct(times, .95), "queries": sorted(set(counts)),
                      "status": sorted(statuses)}
    # query count against scope size: admin of the root, of a region/province, of a commune
    from dangvu.accounts.services import user_create

    scopes = {}
    for label, org, n in _subtrees():
        name = f"bench_{org.code.lower().replace('-', '_')}"[:150]
        from django.contrib.auth import get_user_model

        u = get_user_model().objects.filter(username=name).first() or user_create(
            username=name, organization=org, role="admin", password="bench-admin-2026", check_password=False)
        c = Client()
        c.force_login(u, backend="django.contrib.auth.backends.ModelBackend")
        c.get("/members/")
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            r = c.get("/members/?page=2")
            ms = (time.perf_counter() - t) * 1000
        scopes[label] = {"members": n, "queries": len(ctx.captured_queries), "ms": ms, "status": r.status_code}
    out["scopes"] = scopes
    return out
