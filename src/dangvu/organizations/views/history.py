"""The history tab of an organization's page: its events (and those of the organizations under it) as
sentences seen from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext as _

from ..models import Organization, OrganizationEvent, OrganizationKind
from ..models import OrganizationEventKind as K
from ..selectors import events_as_told, history_events


def _kind_label(value) -> str:
    try:
        return str(OrganizationKind(value).label)
    except ValueError:
        return str(value or "")


def describe_event(ev: OrganizationEvent, org: Organization, names: Callable[[int | None, dt.date], str]) -> str:
    """One event as a sentence, seen from `org` (whose page shows it); every organization named by its name
    of that day (`names(pk, day)`): the one the event changed by its name just before."""
    p = ev.payload or {}
    before = ev.effective_on - dt.timedelta(days=1)

    def name(pk, day=ev.effective_on):
        return names(pk, day)

    own = ev.organization_id == org.pk
    other = names(ev.organization_id, before) if ev.kind != K.ESTABLISHED else ev.organization.name
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
                text += " " + _("(from %(old)s)") % {"old": name(p["old_parent_id"], before)}
            return text
        if p.get("parent_id") == org.pk:
            return _("%(org)s moved here from %(old)s") % {"org": other, "old": name(p.get("old_parent_id"), before)}
        return _("%(org)s moved to %(parent)s") % {"org": other, "parent": name(p.get("parent_id"))}
    if ev.kind == K.KIND_CHANGED:
        return _("Kind changed: %(old)s → %(new)s") % {
            "old": _kind_label(p.get("old_kind")) or "—", "new": _kind_label(p.get("kind"))}
    if ev.kind == K.MERGED:
        if own:
            return _("Merged into: %(target)s") % {"target": name(p.get("into_id"))}
        if p.get("into_id") == org.pk:
            return _("%(org)s merged into this organization") % {"org": other}
        return _("%(org)s merged into %(target)s") % {"org": other, "target": name(p.get("into_id"))}
    if ev.kind == K.SPLIT:
        into = ", ".join(name(pk) for pk in p.get("into_ids") or [])
        if not own:
            return _("%(org)s split into: %(list)s") % {"org": other, "list": into or "—"}
        return _("Split into: %(list)s") % {"list": into or "—"} if into else _("Split")
    if ev.kind == K.DISSOLVED:
        return _("Dissolved") if own else _("%(org)s dissolved") % {"org": other}
    return ev.get_kind_display()


def history_rows(org: Organization, *, visible_ids: set[int] | None = None, limit: int = 500) -> list[dict]:
    """The history table of `org`: two queries (events, then the organizations they name)."""
    events = list(history_events(org)[:limit])
    names = events_as_told(events)
    rows = []
    for ev in events:
        subject = ev.organization
        rows.append({
            "event": ev,
            "kind": (_("Merger received") if ev.kind == K.MERGED and (ev.payload or {}).get("into_id") == org.pk
                     else ev.get_kind_display()),
            "text": describe_event(ev, org, names),
            "subject": None if subject.pk == org.pk else subject,
            "subject_visible": visible_ids is None or subject.pk in visible_ids,
        })
    return rows
