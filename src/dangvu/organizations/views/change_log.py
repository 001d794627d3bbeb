"""The change log tab of an organization's page: the audit entries of the organization and its events,
each change with its field's label and its values as people read them (organizations by name, kinds
by label, dates as dd/mm/yyyy)."""

from __future__ import annotations

import datetime as dt
import json

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.audit import SOURCE_LABELS
from dangvu.core.dates import format_date

from ..models import EVENT_PAYLOAD_LABELS, Organization, OrganizationEvent, OrganizationKind

AUDIT_SHOWN = 200
ACTION_LABELS = {
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
}


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
