"""The candidates' models moved to the admission app (their tables are kept)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('lifecycle', '0004_candidate_member_per_admission'),
        ('admission', '0001_initial'),
    ]

    operations = [
        # State only: the tables now belong to the admission app's models (db_table keeps their names).
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='candidatestep',
                name='candidate',
            ),
            migrations.RemoveField(
                model_name='candidatedocument',
                name='candidate',
            ),
            migrations.RemoveField(
                model_name='candidatedocument',
                name='recorded_by',
            ),
            migrations.RemoveField(
                model_name='candidatedocument',
                name='step',
            ),
            migrations.RemoveField(
                model_name='candidatestep',
                name='owner_org',
            ),
            migrations.RemoveField(
                model_name='candidatestep',
                name='owner_user',
            ),
            migrations.RemoveField(
                model_name='candidatestep',
                name='recorded_by',
            ),
            migrations.DeleteModel(
                name='Candidate',
            ),
            migrations.DeleteModel(
                name='CandidateDocument',
            ),
            migrations.DeleteModel(
                name='CandidateStep',
            ),
        ]),
    ]
