"""The steps that build the benchmark database: migrate, synth, vacuum."""

from __future__ import annotations

import time

from .settings import RATING_YEARS, SEED


def w_migrate(args):
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    return {"seconds": time.perf_counter() - t}


def w_synth(args):
    from dangvu.demo.synth import synth

    t = time.perf_counter()
    counts = synth(args["members"], SEED, rating_years=RATING_YEARS)
    s = time.perf_counter() - t
    return {"seconds": s, "rate": counts["members"] / s, **counts}


def w_vacuum(args):
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"seconds": time.perf_counter() - t}
