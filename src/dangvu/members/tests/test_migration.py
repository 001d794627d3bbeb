"""Disciplinary forms stored as keys (0010): events recorded before held the Vietnamese name."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dangvu.members.models import MemberEvent
from dangvu.members.models import MemberEventKind as E
from dangvu.members.services import member_record_event

BEFORE = [("members", "0009_shared_bases_labels")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets[0]).apps


@pytest.mark.django_db(transaction=True)
def test_the_disciplinary_forms_recorded_as_names_become_keys(tree, make_member):
    m = make_member(tree["C01"], made_official_on=dt.date(2016, 5, 19))
    event = member_record_event(m, kind=E.DISCIPLINED, effective_on=dt.date(2020, 1, 6), value="warning")
    try:
        old = migrate(BEFORE)
        assert old.get_model("members", "MemberEvent").objects.get(pk=event.pk).value == "Cảnh cáo"
    finally:
        migrate(sorted(MigrationExecutor(connection).loader.graph.leaf_nodes()))
    assert MemberEvent.objects.get(pk=event.pk).value == "warning"
