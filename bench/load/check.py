"""After a load run (bench/load/run.sh): the figures against the targets, and nothing lost.

- samples.csv (locustfile): p50 / p95 / errors for each group (pages ≤ 200 ms, writes ≤ 200 ms,
  reports ≤ 1 s at p95; no error anywhere) and for each endpoint;
- writes.jsonl (locustfile): every write logged is in the database (the value edited, the card
  event, the transfer received and the member in the new chi bộ) and has its audit entry (django-auditlog,
  by the login that made it, source web or api).

Prints the table (also written to LOAD_OUT/results.md) and exits 1 when a target is missed or a
write is missing, 0 otherwise. Run with DANGVU_DATABASE_URL of the load database.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: the suite's percentile
from suite.timing import pct  # noqa: E402

OUT = Path(os.environ.get("LOAD_OUT", "/tmp/dangvu-load"))
#: p95 targets (ms) of the groups of request names (issue 9 item 9); logins are not timed.
TARGETS = {"page": 200, "write": 200, "report": 1000}


def latency(rows: list[dict]) -> tuple[list[str], bool]:
    by_group, by_name, errors = defaultdict(list), defaultdict(list), defaultdict(list)
    for r in rows:
        by_group[r["group"]].append(float(r["ms"]))
        by_name[r["name"]].append(float(r["ms"]))
        if r["error"]:
            errors[r["group"]].append(r)
            errors[r["name"]].append(r)
    span = (max(float(r["time"]) for r in rows) - min(float(r["time"]) for r in rows)) if rows else 0
    lines = [f"{len(rows)} requests in {span / 60:.1f} min ({len(rows) / max(span, 1):.1f}/s)", "",
             "| group / endpoint | requests | errors | p50 ms | p95 ms | max ms | target p95 |",
             "|---|---|---|---|---|---|---|"]
    ok = True
    for group in sorted(by_group, key=lambda g: (g not in TARGETS, g)):
        v = by_group[group]
        target = TARGETS.get(group)
        met = (target is None or pct(v, .95) <= target) and not errors[group]
        ok &= met
        mark = "" if target is None and not errors[group] else (" ✓" if met else " ✗")
        lines.append(f"| **{group}** | {len(v)} | {len(errors[group])} | {pct(v, .5):.0f} | {pct(v, .95):.0f} | "
                     f"{max(v):.0f} | {f'≤ {target}' if target else '—'}{mark} |")
        for name in sorted(n for n in by_name if n.split(":", 1)[0] == group):
            w = by_name[name]
            over = target is not None and pct(w, .95) > target
            lines.append(f"| {name.split(':', 1)[1].strip()} | {len(w)} | {len(errors[name])} | {pct(w, .5):.0f} | "
                         f"{pct(w, .95):.0f}{' ✗' if over else ''} | {max(w):.0f} | |")
    failures = [r for g in by_group for r in errors[g]]
    if failures:
        lines += ["", "Errors (first 20):"] + [f"- {r['name']} {r['status']}: {r['error']}" for r in failures[:20]]
    return lines, ok


def verify_writes(writes: list[dict]) -> tuple[list[str], bool]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    import django

    django.setup()
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from dangvu.lifecycle.models import Transfer
    from dangvu.members.models import Member, MemberEvent

    ct = ContentType.objects.get_for_model

    def audited(model, pk, user, source, action, field=None, value=...) -> bool:
        """An audit entry of `action` on the object by `user` from `source` (changing `field`, to `value`)."""
        for e in LogEntry.objects.filter(content_type=ct(model), object_pk=str(pk), action=action).select_related("actor"):
            if (e.actor and e.actor.username) != user or (e.additional_data or {}).get("source") != source:
                continue
            change = (e.changes or {}).get(field)
            if field is None or (change is not None and (value is ... or change[1] == value)):
                return True
        return False

    missing, counts = [], defaultdict(int)
    members = {m.code: m for m in Member.objects.filter(code__in={w["member"] for w in writes}).select_related("cell")}
    for w in writes:
        counts[f"{w['kind']} ({w['via']})"] += 1
        m = members.get(w["member"])
        problem = None
        if m is None:
            problem = "member not found"
        elif w["kind"] == "profile":
            if getattr(m, w["field"]) != w["value"]:
                problem = f"{w['field']} is {getattr(m, w['field'])!r}, not {w['value']!r}"
            elif not audited(Member, m.pk, w["user"], w["via"], LogEntry.Action.UPDATE, w["field"], w["value"]):
                problem = "no audit entry"
        elif w["kind"] == "event":
            qs = MemberEvent.objects.filter(member=m, kind=w["event_kind"], value=w["value"])
            event = qs.filter(pk=w["event"]).first() if w.get("event") else qs.first()
            if event is None:
                problem = "event missing"
            elif not audited(MemberEvent, event.pk, w["user"], w["via"], LogEntry.Action.CREATE):
                problem = "no audit entry"
        elif w["kind"] == "transfer":
            t = Transfer.objects.filter(pk=w["transfer"], member=m).select_related("to_cell", "event").first()
            if t is None or t.to_cell is None or t.to_cell.code != w["to_cell"] or t.event is None:
                problem = "transfer or its event missing"
            elif w["received"] and t.received_on is None:
                problem = "receipt missing"
            elif m.cell.code != w["to_cell"]:
                problem = f"member is in {m.cell.code}, not {w['to_cell']}"
            elif not (audited(Transfer, t.pk, w["user"], w["via"], LogEntry.Action.CREATE)
                      and audited(MemberEvent, t.event_id, w["user"], w["via"], LogEntry.Action.CREATE)
                      and (not w["received"]
                           or audited(Transfer, t.pk, w["user"], w["via"], LogEntry.Action.UPDATE, "received_on"))):
                problem = "no audit entry"
        if problem:
            missing.append(f"- {w['kind']} ({w['via']}) {w['member']}: {problem}")
    lines = [f"Writes logged: {len(writes)} ({', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))}); "
             f"present and audited: {len(writes) - len(missing)}; missing or not audited: {len(missing)}"]
    return lines + missing[:20], not missing


def main() -> int:
    with (OUT / "samples.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    writes_file = OUT / "writes.jsonl"
    writes = [json.loads(line) for line in writes_file.open(encoding="utf-8")] if writes_file.exists() else []
    lat_lines, lat_ok = latency(rows)
    w_lines, w_ok = verify_writes(writes)
    header = [f"# Load test, {os.environ.get('LOAD_INFO', '')}".rstrip(", "), ""]
    extra = (OUT / "machine.txt").read_text().splitlines() if (OUT / "machine.txt").exists() else []
    cpu = re.search(r"used (\d+) CPU seconds", "\n".join(extra))
    if cpu and rows:
        extra.append(f"That is {int(cpu.group(1)) * 1000 / len(rows):.0f} ms of server CPU per request on average.")
    text = "\n".join([*header, *extra, "", *lat_lines, "", *w_lines, "",
                      f"Result: {'PASS' if lat_ok and w_ok else 'FAIL'} (latency targets "
                      f"{'met' if lat_ok else 'missed'}; writes {'all present and audited' if w_ok else 'MISSING'})"])
    print(text)
    (OUT / "results.md").write_text(text + "\n", encoding="utf-8")
    return 0 if lat_ok and w_ok else 1


if __name__ == "__main__":
    sys.exit(main())
