"""Organization pages (/organizations/...): the tree as it stood on a day, an organization's page
(subordinate organizations, members, history in words, change log), the organization picker's data
(JSON, loaded on demand). The forms that change an organization are in `views_actions`.

Web layer: it may use any app (the user's scope and role from accounts, member counts from
members); every organization comes from the user's scope (`accounts.scope`), outside it: 404.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote, urlencode

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu import regulations as R
from dangvu.accounts.selectors import organizations_visible_to, scope_root_ids
from dangvu.accounts.web import scoped_object_or_404, scoped_view
from dangvu.assessment.selectors import rating_history
from dangvu.core.dates import check_day, format_date, parse_date
from dangvu.core.errors import DomainError
from dangvu.core.i18n import int_text
from dangvu.members import selectors_org as sel
from dangvu.members.models import MemberStatus
from dangvu.members.selectors import status_counts

from .models import EVENT_PAYLOAD_LABELS, Organization, OrganizationEvent, OrganizationKind, UnitKind
from .models import OrganizationEventKind as K
from .selectors import PICKER_SEARCH_LIMIT, history_events, name_matches, organization_on, picker_rows

TABS = (
    ("children", gettext_lazy("Subordinate organizations")),
    ("members", gettext_lazy("Party members")),
    ("history", gettext_lazy("History")),
    ("ratings", gettext_lazy("Quality ratings")),
    ("audit", gettext_lazy("Change log")),
)
MEMBERS_SHOWN = 50
AUDIT_SHOWN = 200
SOURCE_LABELS = {
    "web": gettext_lazy("Web"),
    "api": gettext_lazy("API"),
    "cli": gettext_lazy("Command line"),
    "import": gettext_lazy("Import"),
    "system": gettext_lazy("System"),
}
ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
}


def _as_of(request, key: str = "as_of") -> tuple[dt.date, str]:
    """The day asked for in ?as_of= (dd/mm/yyyy or yyyy-mm-dd), default today; with an error text."""
    today = timezone.localdate()
    try:
        return check_day(parse_date(request.GET.get(key, ""), field=key), field=key) or today, ""
    except DomainError as exc:
        return today, exc.message



# -- the organization picker's data (static/js/org-picker.js), loaded on demand -----------------

@scoped_view()
def picker(request):
    """`organizations:picker` — ?q=TEXT: the organizations in scope whose name matches (at most
    PICKER_SEARCH_LIMIT; "more" when there are others); without q: the top of the scope."""
    visible = organizations_visible_to(request.user)
    text = request.GET.get("q", "").strip()
    if not text:
        return _json(picker_rows(visible.filter(pk__in=scope_root_ids(request.user))), more=False)
    rows = picker_rows(name_matches(visible, text), PICKER_SEARCH_LIMIT + 1)
    return _json(rows[:PICKER_SEARCH_LIMIT], more=len(rows) > PICKER_SEARCH_LIMIT)


@scoped_view(model=Organization)
def picker_children(request, organization):
    """`organizations:picker_children` — the organizations directly under one in scope."""
    return _json(picker_rows(Organization.objects.filter(parent=organization)), more=False)


def _json(rows: list[dict], *, more: bool) -> JsonResponse:
    return JsonResponse({"results": rows, "more": more}, json_dumps_params={"ensure_ascii": False})


# -- tree ----------------------------------------------------------------------------------------

#: Levels of the tree shown below its top (a province: its communes); a deeper organization opens
#: the tree under it (?under=CODE), so a page never carries the thousands of cells of a province.
TREE_LEVELS_SHOWN = 1
#: Organizations of the first level shown at once (a province has over a thousand); "Show more" adds as
#: many again (htmx appends the rows; without script the page reloads with more).
TREE_CHILDREN_SHOWN = 100
#: Cells below the minimum listed by name (the count says how many there are in all).
TREE_WARNINGS_SHOWN = 50


def _shown_count(request, name: str = "shown") -> int:
    """How many organizations of the first level to show: ?shown=N, a multiple of TREE_CHILDREN_SHOWN."""
    try:
        n = int(request.GET.get(name, ""))
    except ValueError:
        return TREE_CHILDREN_SHOWN
    return max(TREE_CHILDREN_SHOWN, -(-min(n, 1_000_000) // TREE_CHILDREN_SHOWN) * TREE_CHILDREN_SHOWN)


def _first_level_cut(rows: list[dict], count: int) -> int:
    """The index in the depth-first `rows` where the (count+1)-th organization of the first level starts
    (len(rows) when there are no more)."""
    seen = 0
    for i, r in enumerate(rows):
        if r["depth"] == 1:
            seen += 1
            if seen > count:
                return i
    return len(rows)


@scoped_view()
def tree(request):
    """The tree under each scope root — or under ?under=CODE in scope — as it stood on a day, with member
    counts (one statement per root: `members.selectors_org.tree_with_counts`), TREE_LEVELS_SHOWN levels
    deep, the first ?shown=N organizations of the first level (TREE_CHILDREN_SHOWN at first). An htmx
    request with ?root=CODE&from=K answers only the rows of that root's tree from the K-th organization
    of the first level up to the N-th, and the next "Show more" row."""
    day, date_error = _as_of(request)
    under = request.GET.get("under", "").strip()
    top = scoped_object_or_404(request.user, Organization, code=under) if under else None
    root_ids = [top.pk] if top else scope_root_ids(request.user)
    roots = {o.pk: o for o in Organization.objects.filter(pk__in=root_ids)}
    more_of = request.GET.get("root", "").strip() if request.htmx else ""
    if more_of:
        root_ids = [pk for pk in root_ids if pk in roots and roots[pk].code == more_of]
    trees = sel.tree_with_counts([roots[pk] for pk in root_ids if pk in roots], day, TREE_LEVELS_SHOWN)
    shown = _shown_count(request)
    start = min(_shown_count(request, "from"), shown) if more_of else 0
    kinds = {k: str(label) for k, label in OrganizationKind.choices}
    warnings = [w for t in trees for w in t["warnings"]]
    # What each row shows, prepared here once rather than by template tags per row: the links and the
    # numbers with the language's thousands separator.
    as_of = "" if day == timezone.localdate() else f"as_of={day:%d/%m/%Y}"
    detail_url = reverse("organizations:detail", args=["CODE"]).replace("CODE", "{}")
    keep = [("under", top.code)] if top else []
    for t in trees:
        t["root"] = roots.get(t["root_id"])
        t["summary"] = t["rows"][0] if t["rows"] else None
        first_level = sum(1 for r in t["rows"] if r["depth"] == 1)
        cut = _first_level_cut(t["rows"], shown)
        t["rows"] = t["rows"][_first_level_cut(t["rows"], start) if start else 0:cut]
        t["first_level"], t["hidden"] = first_level, max(0, first_level - shown)
        if t["hidden"] and t["root"] is not None:
            query = urlencode([*keep, *([("as_of", f"{day:%d/%m/%Y}")] if as_of else []),
                               ("shown", shown + TREE_CHILDREN_SHOWN)])
            t["more_url"] = f"?{query}"
            t["more_rows_url"] = f"?{query}&" + urlencode({"from": shown, "root": t["root"].code})
        for r in t["rows"]:
            r["kind_label"] = kinds.get(r["kind"], r["kind"])
            r["opens"] = r["has_children"] and r["depth"] == TREE_LEVELS_SHOWN  # its children are on their own page
            r["indent"] = f"{r['depth'] * 1.25:.2f}"
            r["open_url"] = f"?under={quote(r['code'])}" + (f"&{as_of}" if as_of else "")
            for k in ("total", "official", "probationary"):
                r[k + "_text"] = int_text(r[k])
    listed = warnings[:TREE_WARNINGS_SHOWN] if not more_of else []
    shown_ids = [r["id"] for t in trees for r in t["rows"]] + [w["id"] for w in listed]
    visible = set(organizations_visible_to(request.user).filter(pk__in=shown_ids).values_list("pk", flat=True))
    for r in [*(r for t in trees for r in t["rows"]), *listed]:
        r["visible"] = r["id"] in visible
        r["url"] = detail_url.format(quote(r["code"])) + (f"?{as_of}" if as_of else "")
    context = {
        "day": day,
        "cell_minimum": R.rules_on(day).cell_min_official_members,
        "is_today": day == timezone.localdate(),
        "date_error": date_error,
        "trees": trees,
        "warnings": warnings,
        "warnings_listed": listed,
        "warnings_more": len(warnings) - len(listed),
        "under": top,
        "keep": keep,
    }
    if more_of:
        return render(request, "organizations/_tree_rows.html", {**context, "t": trees[0] if trees else None})
    return render(request, "organizations/tree.html", context)


# -- detail --------------------------------------------------------------------------------------

def _audit_rows(org: Organization) -> list[dict]:
    ct_org = ContentType.objects.get_for_model(Organization)
    ct_event = ContentType.objects.get_for_model(OrganizationEvent)
    entries = list(
        LogEntry.objects.filter(
            Q(content_type=ct_org, object_id=org.pk)
            | Q(content_type=ct_event, object_id__in=OrganizationEvent.objects.filter(organization=org).values("id"))
        )
        .select_related("actor")
        .order_by("-timestamp", "-id")[:AUDIT_SHOWN]
    )
    ref_ids = set()
    for e in entries:
        for field in ("parent", "organization"):
            for v in (e.changes_dict or {}).get(field, [])[:2]:
                if str(v).isdigit():
                    ref_ids.add(int(v))
        for v in (e.changes_dict or {}).get("payload", [])[:2]:
            ref_ids.update(_payload_ids(v))
    names = dict(Organization.objects.filter(pk__in=ref_ids).values_list("pk", "name")) if ref_ids else {}
    rows = []
    for e in entries:
        model = Organization if e.content_type_id == ct_org.pk else OrganizationEvent
        changes = []
        for field, values in (e.changes_dict or {}).items():
            if field in ("name_folded", "id", "recorded_by", "recorded_at") or (
                    field == "organization" and model is OrganizationEvent):
                continue
            old, new = (list(values) + ["", ""])[:2]
            try:
                f = model._meta.get_field(field)
            except FieldDoesNotExist:
                label, choices = field, None
            else:
                if not f.concrete:  # reverse relations (children, events, ...) are not changes of this record
                    continue
                label = str(f.verbose_name)
                choices = dict(f.choices) if f.choices else None
            old, new = _display(old, choices, names), _display(new, choices, names)
            if e.action == LogEntry.Action.CREATE and new == "—":
                continue
            changes.append({"field": label, "old": old, "new": new})
        rows.append({
            "entry": e,
            "action": ACTION_LABELS.get(e.action, e.get_action_display()),
            "what": _("Organization") if model is Organization else _("Event: %(e)s") % {"e": e.object_repr},
            "source": SOURCE_LABELS.get((e.additional_data or {}).get("source"), ""),
            "changes": changes,
        })
    return rows


def _payload(value) -> dict:
    try:
        data = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _payload_ids(value) -> set[int]:
    """The organization ids an event's payload (as logged) refers to."""
    ids = set()
    for key, v in _payload(value).items():
        if key.endswith("_id") and isinstance(v, int):
            ids.add(v)
        elif key.endswith("_ids") and isinstance(v, list):
            ids.update(i for i in v if isinstance(i, int))
    return ids


def _payload_text(data: dict, names: dict) -> str:
    """An event's details as people read them: labelled fields, organizations by name, kinds by label."""
    kinds = dict(OrganizationKind.choices)
    parts = []
    for key, label in EVENT_PAYLOAD_LABELS.items():
        if data.get(key) in (None, "", []):
            continue
        v = data[key]
        if key.endswith("_ids"):
            text = ", ".join(names.get(i, str(i)) for i in v)
        elif key.endswith("_id"):
            text = names.get(v, str(v))
        elif key in ("kind", "old_kind"):
            text = str(kinds.get(v, v))
        else:
            text = str(v)
        parts.append(f"{label}: {text}")
    return "; ".join(parts)


def _display(value, choices, names) -> str:
    if value in (None, "None", "", "{}"):
        return "—"
    if isinstance(value, str) and value.startswith("{"):
        try:
            data = json.loads(value)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return _payload_text(data, names)
    if choices and value in choices:
        return str(choices[value])
    text = str(value)
    if names and text.isdigit() and int(text) in names:
        return names[int(text)]
    try:
        return format_date(dt.date.fromisoformat(text))
    except ValueError:
        return text


@scoped_view(model=Organization, arg="org")
def detail(request, org):
    day, date_error = _as_of(request)
    tab = request.GET.get("tab") or "children"
    if tab not in dict(TABS):
        tab = "children"
    period = organization_on(org, day)
    parent = org.parent
    context = {
        "org": org,
        "day": day,
        "is_today": day == timezone.localdate(),
        "date_error": date_error,
        "period": period,
        "exists": period is not None,
        "renamed_since": period is not None and period.name != org.name,
        "parent": parent,
        "parent_visible": parent is not None and organizations_visible_to(request.user).filter(pk=parent.pk).exists(),
        "admin_unit_name": admin_unit_name(org.admin_unit_code),
        "unit_kind_label": unit_kind_label(org.unit_kind),
        "is_cell": org.is_cell,
        "is_open": org.dissolved_on is None,
        "tabs": TABS,
        "tab": tab,
        "tab_keep": [("tab", tab)],
        "snapshot_url": reverse("reports:snapshot"),
        "members_list_url": reverse("members:list"),
    }
    if tab == "children":
        children, counts = sel.children_on(org, day) if period is not None else ([], None)
        ids = [c["id"] for c in children]
        visible = set(organizations_visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True))
        kinds = dict(OrganizationKind.choices)
        for c in children:
            c["visible"] = c["id"] in visible
            c["kind_label"] = kinds.get(c["kind"], c["kind"])
        context["children"] = children
        context["counts"] = counts
    elif tab == "members":
        qs = sel.current_members_in_subtree(org)
        by_status = status_counts(qs)
        members = list(qs[:MEMBERS_SHOWN])
        for m in members:
            m.url = reverse("members:detail", args=[m.code])
        context.update({
            "members": members,
            "member_total": sum(by_status.values()),
            "member_official": by_status.get(MemberStatus.OFFICIAL, 0),
            "member_probationary": by_status.get(MemberStatus.PROBATIONARY, 0),
        })
    elif tab == "history":
        rows = history_rows(org)
        subject_ids = [r["subject"].pk for r in rows if r["subject"] is not None]
        visible = set(organizations_visible_to(request.user).filter(pk__in=subject_ids).values_list("pk", flat=True))
        for r in rows:
            r["subject_visible"] = r["subject"] is not None and r["subject"].pk in visible
        context["history"] = rows
    elif tab == "ratings":
        context["ratings"] = rating_history(request.user, organization=org)
    elif tab == "audit":
        context["audit"] = _audit_rows(org)
    return render(request, "organizations/detail.html", context)


# -- history in words --------------------------------------------------------------------------

def _kind_label(value) -> str:
    try:
        return str(OrganizationKind(value).label)
    except ValueError:
        return str(value or "")


def describe_event(ev: OrganizationEvent, org: Organization, names: dict[int, Organization]) -> str:
    """One event as a sentence, seen from `org` (whose page shows it)."""
    p = ev.payload or {}

    def name(pk):
        o = names.get(pk) if pk is not None else None
        return o.name if o else "—"

    own = ev.organization_id == org.pk
    other = ev.organization.name
    if ev.kind == K.ESTABLISHED:
        if not own:
            return _("Subordinate organization established: %(org)s") % {"org": p.get("name") or other}
        if p.get("parent_id"):
            return _("Established as %(kind)s “%(name)s”, under %(parent)s") % {
                "kind": _kind_label(p.get("kind")).lower(), "name": p.get("name", ""), "parent": name(p["parent_id"])}
        return _("Established as %(kind)s “%(name)s”") % {
            "kind": _kind_label(p.get("kind")).lower(), "name": p.get("name", "")}
    if ev.kind == K.RENAMED:
        return _("Renamed: %(old)s → %(new)s") % {"old": p.get("old_name") or "—", "new": p.get("name", "")}
    if ev.kind == K.MOVED:
        if own:
            text = _("Moved to: %(parent)s") % {"parent": name(p.get("parent_id"))}
            if p.get("old_parent_id"):
                text += " " + _("(from %(old)s)") % {"old": name(p["old_parent_id"])}
            return text
        if p.get("parent_id") == org.pk:
            return _("%(org)s moved here from %(old)s") % {"org": other, "old": name(p.get("old_parent_id"))}
        return _("%(org)s moved to %(parent)s") % {"org": other, "parent": name(p.get("parent_id"))}
    if ev.kind == K.KIND_CHANGED:
        return _("Kind changed: %(old)s → %(new)s") % {
            "old": _kind_label(p.get("old_kind")) or "—", "new": _kind_label(p.get("kind"))}
    if ev.kind == K.MERGED:
        if own:
            return _("Merged into: %(target)s") % {"target": name(p.get("into_id"))}
        return _("%(org)s merged into this organization") % {"org": other}
    if ev.kind == K.SPLIT:
        into = ", ".join(name(pk) for pk in p.get("into_ids") or [])
        return _("Split into: %(list)s") % {"list": into or "—"} if into else _("Split")
    if ev.kind == K.DISSOLVED:
        return _("Dissolved")
    return ev.get_kind_display()


def history_rows(org: Organization, *, visible_ids: set[int] | None = None, limit: int = 500) -> list[dict]:
    """The history table of `org`: two queries (events, then the organizations they name)."""
    events = list(history_events(org)[:limit])
    ids: set[int] = set()
    for ev in events:
        p = ev.payload or {}
        ids.update(v for k in ("parent_id", "old_parent_id", "into_id") if isinstance(v := p.get(k), int))
        ids.update(v for v in p.get("into_ids") or [] if isinstance(v, int))
    names = {o.pk: o for o in Organization.objects.filter(pk__in=ids)} if ids else {}
    rows = []
    for ev in events:
        subject = ev.organization
        rows.append({
            "event": ev,
            "kind": ev.get_kind_display(),
            "text": describe_event(ev, org, names),
            "subject": None if subject.pk == org.pk else subject,
            "subject_visible": visible_ids is None or subject.pk in visible_ids,
        })
    return rows


def unit_kind_label(value: str) -> str:
    try:
        return str(UnitKind(value).label) if value else ""
    except ValueError:
        return value


def admin_unit_name(code: str) -> str:
    """The name of a province (2-digit code) or commune (5-digit code) from vietnam-provinces,
    with its province for a commune; empty when the code is unknown."""
    from vietnam_provinces import Province, Ward

    code = (code or "").strip()
    if not code.isdigit():
        return ""
    n = int(code)
    lookups = (Province, Ward) if len(code) <= 2 else (Ward, Province)
    for cls in lookups:
        try:
            unit = cls.from_code(n)
        except (ValueError, KeyError):
            continue
        if cls is Ward:
            try:
                return f"{unit.name}, {Province.from_code(int(unit.province_code)).name}"
            except (ValueError, KeyError):
                return unit.name
        return unit.name
    return ""
