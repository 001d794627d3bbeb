"""Disciplinary forms are stored as keys (reprimand, warning, dismissal) and labelled from the rules
(regulations.DISCIPLINE_FORM_LABELS); events recorded before held the Vietnamese name."""

from django.db import migrations

# Frozen here: the names as they were stored.
NAMES = {"Khiển trách": "reprimand", "Cảnh cáo": "warning", "Cách chức": "dismissal"}


def to_keys(apps, schema_editor):
    MemberEvent = apps.get_model("members", "MemberEvent")
    for name, key in NAMES.items():
        MemberEvent.objects.filter(kind="disciplined", value=name).update(value=key)


def to_names(apps, schema_editor):
    MemberEvent = apps.get_model("members", "MemberEvent")
    for name, key in NAMES.items():
        MemberEvent.objects.filter(kind="disciplined", value=key).update(value=name)


class Migration(migrations.Migration):
    dependencies = [("members", "0009_shared_bases_labels")]
    operations = [migrations.RunPython(to_keys, to_names)]
