"""Helpers of the organizations API tests: the codes a list answers, the last audit entry of an
organization or of its events."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from dangvu.organizations.models import Organization, OrganizationEvent

D = dt.date


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def last_audit(org: Organization, model=Organization) -> LogEntry:
    ct = ContentType.objects.get_for_model(model)
    if model is Organization:
        return LogEntry.objects.filter(content_type=ct, object_id=org.pk).order_by("id").last()
    ids = OrganizationEvent.objects.filter(organization=org).values_list("pk", flat=True)
    return LogEntry.objects.filter(content_type=ct, object_id__in=list(ids)).order_by("id").last()
