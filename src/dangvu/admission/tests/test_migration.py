"""The move of the candidates' models from lifecycle to admission keeps the data: the tables are the
same, and the content types (so the audit log and the permissions) follow the models both ways."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dangvu.admission.models import Candidate, CandidateStep

from .candidate_steps import propose, to_sympathizer

BEFORE = [("lifecycle", "0004_candidate_member_per_admission"), ("admission", None)]


def migrate(targets):
    """Migrate to `targets`; the models as they stood at the first target."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return MigrationExecutor(connection).loader.project_state(targets[0]).apps


@pytest.mark.django_db(transaction=True)
def test_the_candidates_and_their_audit_log_survive_the_move_back_and_forth(tree):
    c = propose(tree["C01"])
    to_sympathizer(c)
    logged = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Candidate), object_id=c.pk)
    assert logged.exists()
    entries = set(logged.values_list("pk", flat=True))
    try:
        old = migrate(BEFORE)
        OldCandidate = old.get_model("lifecycle", "Candidate")
        assert OldCandidate.objects.get(pk=c.pk).full_name == "Vàng Thị Mai"
        assert old.get_model("lifecycle", "CandidateStep").objects.filter(candidate_id=c.pk).count() == 3
        old_type = ContentType.objects.get(app_label="lifecycle", model="candidate")
        assert set(LogEntry.objects.filter(content_type=old_type, object_id=c.pk).values_list("pk", flat=True)) == entries
    finally:
        migrate(sorted(MigrationExecutor(connection).loader.graph.leaf_nodes()))
    assert Candidate.objects.get(pk=c.pk).stage == "sympathizer"
    assert CandidateStep.objects.filter(candidate=c).count() == 3
    new_type = ContentType.objects.get_for_model(Candidate)
    assert new_type.app_label == "admission" and not ContentType.objects.filter(app_label="lifecycle",
                                                                               model="candidate").exists()
    assert set(LogEntry.objects.filter(content_type=new_type, object_id=c.pk).values_list("pk", flat=True)) == entries
