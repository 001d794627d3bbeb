"""The import steps: imports.services.import_workbook against the reference pipeline, and its peak
memory."""

from __future__ import annotations

import os
import time

from .reference_copy import _read_calamine, _scratch_copy
from .settings import WORK
from .workbooks import workbook_rows


def _run_import(path: str, n: int, prefix: str) -> dict:
    """Import through imports.services.import_workbook, or (if absent) members.bulk.bulk_write."""
    try:
        from dangvu.imports.services import import_workbook
    except ImportError:
        import_workbook = None
    t = time.perf_counter()
    if import_workbook is not None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cpu = time.process_time()
        with CaptureQueriesContext(connection) as queries:  # statements sent (COPY data is not one)
            result = import_workbook(path, dry_run=False)
        s = time.perf_counter() - t
        errors = [str(getattr(e, "message", e)) for e in result.errors[:5]]
        return {"via": "imports.services.import_workbook", "seconds": s, "rows_per_s": n / s,
                "cpu_seconds": time.process_time() - cpu, "queries": len(queries.captured_queries),
                "load": os.getloadavg()[0], "errors": errors, "ok": not result.errors}
    return _bulk_write_import(path, n, prefix, t)


def _bulk_write_import(path, n, prefix, t):  # pragma: no cover - only without the import service
    from dangvu.core.ethnicity import ethnicity_code
    from dangvu.members.bulk import bulk_write
    from dangvu.members.models import Member, MemberEvent
    from dangvu.organizations.models import OrganizationKind
    from dangvu.organizations.services import organization_establish

    orgs, _members = workbook_rows(n, prefix)
    kinds = {"Đảng bộ tỉnh": OrganizationKind.PROVINCIAL, "Đảng bộ cơ sở": OrganizationKind.GRASSROOTS_COMMITTEE,
             "Chi bộ trực thuộc": OrganizationKind.SUBORDINATE_CELL}
    by_code = {}
    for code, name, kind, parent, *_ in orgs:
        by_code[code] = organization_establish(code=code, name=name, kind=kinds[kind],
                                               parent=by_code.get(parent))
    members, events = [], []
    for r in _read_calamine(path):
        m = Member(code=r[0], full_name=r[1], birth_date=r[2], sex="F" if r[3] == "Nữ" else "M",
                   ethnicity=ethnicity_code(r[4]), religion="" if r[5] == "Không" else r[5], admitted_on=r[6],
                   cell=by_code[r[8]], status="probationary")
        members.append(m)
        events.append(MemberEvent(member=m, kind="admitted", effective_on=r[6], cell=by_code[r[8]]))
        if r[7]:
            events.append(MemberEvent(member=m, kind="made_official", effective_on=r[7]))
    bulk_write(members, events, source="import")
    s = time.perf_counter() - t
    return {"via": "members.bulk.bulk_write (import service not available)", "seconds": s, "rows_per_s": n / s,
            "errors": [], "ok": True}


def w_import(args):
    n = args["import"]
    path = str(WORK / f"import_import_{n}.xlsx")
    orgs, members = workbook_rows(n, "BI20")
    rows = list(members())
    ref_copy = _scratch_copy(rows)
    t = time.perf_counter()
    read = _read_calamine(path)
    read_s = time.perf_counter() - t
    ref_pipeline = read_s + _scratch_copy(read)
    app = _run_import(path, n, "BI20")
    return {"n": n, "tochuc_rows": len(orgs), "ref_copy_rows_per_s": n / ref_copy,
            "ref_pipeline_rows_per_s": n / ref_pipeline, **app}


def w_import_memory(args):
    import resource

    n = args["memory"]
    path = str(WORK / f"import_memory_{n}.xlsx")
    app = _run_import(path, n, "BI200")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "peak_rss_mb": rss_mb, **app}
