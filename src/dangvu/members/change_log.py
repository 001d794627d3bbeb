"""The member page's change log (nhật ký thay đổi): the audit entries of a member and of its events,
newest first, ready to display.

A member created in bulk (an import, the demo) has no entry of its own: its chunk has one
(`core.audit.log_bulk_batch`), found by the member's creation time, which lists the ids of the members
and events it created. The member's row then shows the values it was created with — its values now,
less the changes made since (each audited with its before and after) — and each event its row's
values (an event is changed only when cancelled as recorded by mistake: its own entry shows the reason). Entries of earlier versions (one per member, listing its events by
id, or with their values) are shown the same way.
"""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from dangvu.core.audit import SOURCE_LABELS, batch_label
from dangvu.core.dates import format_date
from dangvu.organizations.models import Organization

from .models import PERSONAL_FIELDS, Member, MemberEvent
from .services import NAME_FIELDS, STATE_FIELDS

#: Audit fields not worth showing (derived or bookkeeping).
HIDDEN_AUDIT_FIELDS = {"id", "name_folded", "sort_key", "created_at", "updated_at", "recorded_at", "member",
                       "recorded_by", "family_name", "middle_name", "given_name", "cancelled_at", "cancelled_by"}
EVENT_LABEL, MEMBER_LABEL = batch_label(MemberEvent), batch_label(Member)  # keys of bulk CREATE entries
ACTION_LABELS = {LogEntry.Action.CREATE: "create", LogEntry.Action.UPDATE: "update", LogEntry.Action.DELETE: "delete"}


def _field_label(model, name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except Exception:  # noqa: BLE001 - a field removed since the entry was written
        return name


def _display_value(model, name: str, raw, *, orgs: dict, hide: bool) -> str:
    if raw in (None, "None", ""):
        return ""
    if hide:
        return "•••"
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return str(raw)
    if name == "cell":
        try:
            return orgs.get(int(raw), str(raw))
        except (TypeError, ValueError):
            return str(raw)
    if not getattr(field, "concrete", False):
        return str(raw)
    if field.choices:
        return str(dict(field.choices).get(raw, raw))
    internal = field.get_internal_type()
    if internal == "DateField":
        try:
            return format_date(dt.date.fromisoformat(str(raw)[:10]))
        except ValueError:
            return str(raw)
    if internal == "BooleanField":
        return _("Yes") if str(raw) in ("True", "true", "1") else _("No")
    return str(raw)


def _event_value(event: MemberEvent, raw) -> str:
    """An event's value as its history shows it (`MemberEvent.value_display`: a disciplinary form, a ground by
    its label)."""
    if raw in (None, "None", ""):
        return ""
    return MemberEvent(kind=event.kind, value=str(raw), effective_on=event.effective_on).value_display


#: The member's fields whose values at creation its batch entry stands for (`_created_with`): its
#: profile. Not the standing (status, cell, dates, card: STATE_FIELDS), which its events make and show.
CREATED_WITH = tuple(f for f in Member._meta.concrete_fields
                     if f.name not in HIDDEN_AUDIT_FIELDS and f.name not in STATE_FIELDS and f.name not in NAME_FIELDS
                     and f.name != "version")


def _created_with(member: Member, entries: list[LogEntry]) -> dict:
    """{field: [None, value as text]}: the profile the member was created with — its values now, each
    replaced by the value before the first change of the field since (`entries`: newest first)."""
    values = {f.name: getattr(member, f.attname) for f in CREATED_WITH}
    values = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
    seen, ct_member = set(), ContentType.objects.get_for_model(Member).pk
    for e in reversed(entries):
        if e.object_id != member.pk or e.action != LogEntry.Action.UPDATE or e.content_type_id != ct_member:
            continue
        for name, change in (e.changes_dict or {}).items():
            if name in values and name not in seen:
                seen.add(name)
                values[name] = change[0] if change else None
    return {k: [None, str(v)] for k, v in values.items() if v not in (None, "", "None")}


def audit_history(member: Member, *, show_personal: bool) -> list[dict]:
    """The audit entries of the member and of its events, newest first, ready to display: one row per
    record an entry is about (the member's profile, each event), with its changes."""
    ct_member = ContentType.objects.get_for_model(Member)
    ct_event = ContentType.objects.get_for_model(MemberEvent)
    all_events = MemberEvent.with_cancelled.filter(member=member)  # a cancelled event's entries too
    entries = list(
        LogEntry.objects.filter(
            Q(content_type=ct_member, object_id=member.pk)
            | Q(content_type=ct_event, object_id__in=all_events.values("pk"))
            | Q(content_type=ct_member, object_id=None, timestamp=member.created_at)  # its batch's entry
        ).select_related("actor").order_by("-timestamp", "-id")
    )
    events = {e.pk: e for e in all_events}
    # (entry, model, object id, its text, {field: [before, after]}) for every record shown
    records = []
    for e in entries:
        model = Member if e.content_type_id == ct_member.pk else MemberEvent
        created = (e.additional_data or {}).get("created") or {}
        batch = e.object_id is None
        if batch:  # the members and events a bulk write created: this member's, if it is one of them
            if model is not Member or member.pk not in (created.get(MEMBER_LABEL) or ()):
                continue
            kids = [pk for pk in created.get(EVENT_LABEL) or () if pk in events]
        else:
            kids = created.get(EVENT_LABEL) if model is Member and isinstance(created.get(EVENT_LABEL), list) else []
        for kid in reversed(kids):
            if isinstance(kid, dict):  # an older entry: the event's values in it
                fields = kid.get("fields") or {}
                records.append((e, MemberEvent, kid.get("id"), " ".join(str(fields.get(k, "")) for k in ("kind", "effective_on")),
                                {k: [None, v] for k, v in fields.items()}))
            else:
                ev = events.get(kid)
                records.append((e, MemberEvent, kid, _("Event"), {
                    f.name: [None, getattr(ev, f.attname)] for f in MemberEvent._meta.concrete_fields} if ev else {}))
        if batch:
            records.append((e, Member, member.pk, str(member), _created_with(member, entries)))
        else:
            records.append((e, model, e.object_id, e.object_repr, e.changes_dict or {}))
    org_ids = set()
    for *_rest, changes in records:
        for v in changes.get("cell") or changes.get("cell_id") or []:
            if v not in (None, "None", ""):
                try:
                    org_ids.add(int(v))
                except (TypeError, ValueError):
                    pass
    orgs = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "name")) if org_ids else {}
    rows = []
    for e, model, pk, repr_text, changes_dict in records:
        if model is Member:
            subject = _("Profile")
        else:
            ev = events.get(pk)
            subject = (_("Event: %(kind)s, %(day)s") % {"kind": ev.get_kind_display(), "day": format_date(ev.effective_on)}
                       if ev else repr_text)
        changes = []
        for name, values in changes_dict.items():
            name = name[:-3] if name in ("cell_id", "member_id", "recorded_by_id") else name  # older bulk entries
            if name in HIDDEN_AUDIT_FIELDS:
                continue
            before, after = (list(values) + [None, None])[:2]
            hide = model is Member and name in PERSONAL_FIELDS and not show_personal
            if model is MemberEvent and name == "value" and ev is not None:  # a form or a ground by its label
                shown_before, shown_after = (_event_value(ev, v) for v in (before, after))
            else:
                shown_before = _display_value(model, name, before, orgs=orgs, hide=hide)
                shown_after = _display_value(model, name, after, orgs=orgs, hide=hide)
            if shown_before == shown_after and not hide:
                continue  # e.g. an empty field of a created record
            changes.append({"field": _field_label(model, name), "before": shown_before, "after": shown_after})
        rows.append({
            "when": e.timestamp,
            "who": (e.actor.get_full_name() or e.actor.get_username()) if e.actor else "",
            "source": SOURCE_LABELS.get((e.additional_data or {}).get("source", ""), (e.additional_data or {}).get("source", "")),
            "action": ACTION_LABELS.get(e.action, ""),
            "subject": subject,
            "changes": changes,
        })
    return rows


