"""Member periods carry the member's sex, ethnicity and religion (issue 11: the reports count them from
the periods alone), filled for the existing rows by one set-based UPDATE … FROM (SQLite ≥ 3.33 and
PostgreSQL); the index on a cell's periods becomes covering."""

from django.db import migrations, models

FILL = ("UPDATE members_memberperiod SET sex = m.sex, ethnicity = m.ethnicity, religion = m.religion"
        " FROM members_member m WHERE m.id = members_memberperiod.member_id")


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0014_status_card_index'),
        ('organizations', '0004_version'),
    ]

    operations = [
        # the old index goes first and the new one comes last: the UPDATE maintains neither
        migrations.RemoveIndex(
            model_name='memberperiod',
            name='memberperiod_cell_idx',
        ),
        migrations.AddField(
            model_name='memberperiod',
            name='ethnicity',
            field=models.CharField(blank=True, default='', max_length=2),
        ),
        migrations.AddField(
            model_name='memberperiod',
            name='religion',
            field=models.CharField(blank=True, default='', max_length=100),
        ),
        migrations.AddField(
            model_name='memberperiod',
            name='sex',
            field=models.CharField(blank=True, choices=[('M', 'Male'), ('F', 'Female')], default='', max_length=1),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='memberperiod',
            index=models.Index(fields=['cell', 'valid_from', 'valid_to', 'member', 'status', 'exempted', 'sex',
                                       'ethnicity', 'religion'], name='memberperiod_cell_cover_idx'),
        ),
    ]
