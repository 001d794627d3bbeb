"""Member periods carry more of what the reports count (issue 11: the profile from the periods alone):
the member's birth date, general education and political theory, and from the replay of the member's
events the day party age counts from and whether the current membership began with a readmission;
filled for the existing rows by one set-based UPDATE … FROM (SQLite ≥ 3.33 and PostgreSQL). The cell
index orders a cell's periods by their end (the periods valid on a day are one range of it) and covers
the new columns; the periods of exempted members have an index of their own."""

import datetime as dt

import django.db.models.functions.comparison
from django.db import migrations, models

# party_age_start: R.party_age_start of the first admission (the member's ADMITTED event on `admitted_on`)
FILL = (
    "UPDATE members_memberperiod SET birth_date = x.birth_date, general_education = x.general_education,"
    " political_theory_level = x.political_theory_level, party_age_start = x.party_age_start,"
    " readmitted = x.readmitted"
    " FROM (SELECT m.id, m.birth_date, m.general_education, m.political_theory_level,"
    "  CASE WHEN e.decision_date IS NOT NULL AND e.decision_date <= m.admitted_on THEN e.decision_date"
    "  ELSE m.admitted_on END AS party_age_start, m.readmitted_on IS NOT NULL AS readmitted"
    "  FROM members_member m LEFT JOIN members_memberevent e ON e.member_id = m.id AND e.kind = 'admitted'"
    "  AND e.effective_on = m.admitted_on) x"
    " WHERE x.id = members_memberperiod.member_id"
)


class Migration(migrations.Migration):
    # not one transaction: an index built in the transaction that updated every row holds the rows'
    # old versions too (twice its size at 1M members), until a REINDEX
    atomic = False

    dependencies = [
        ('members', '0015_period_profile'),
        ('organizations', '0005_parent_kind_index'),
    ]

    operations = [
        # the old index goes first and the new one comes last: the UPDATE maintains neither
        migrations.RemoveIndex(
            model_name='memberperiod',
            name='memberperiod_cell_cover_idx',
        ),
        migrations.AddField(
            model_name='memberperiod',
            name='birth_date',
            field=models.DateField(default=dt.date(1900, 1, 1)),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='memberperiod',
            name='general_education',
            field=models.CharField(blank=True, default='', max_length=20),
        ),
        migrations.AddField(
            model_name='memberperiod',
            name='party_age_start',
            field=models.DateField(default=dt.date(1900, 1, 1)),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='memberperiod',
            name='political_theory_level',
            field=models.CharField(blank=True, default='', max_length=16),
        ),
        migrations.AddField(
            model_name='memberperiod',
            name='readmitted',
            field=models.BooleanField(default=False),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='memberperiod',
            index=models.Index(
                models.F('cell'),
                django.db.models.functions.comparison.Coalesce('valid_to', models.Value('9999-12-31'),
                                                               output_field=models.DateField()),
                models.F('valid_from'), models.F('valid_to'), models.F('member'), models.F('status'),
                models.F('exempted'), models.F('sex'), models.F('ethnicity'), models.F('religion'),
                models.F('birth_date'), models.F('general_education'), models.F('political_theory_level'),
                models.F('party_age_start'), models.F('readmitted'), name='memberperiod_cell_cover_idx'),
        ),
        migrations.AddIndex(
            model_name='memberperiod',
            index=models.Index(condition=models.Q(('exempted', True)), fields=['member', 'valid_from', 'valid_to'],
                               name='memberperiod_exempted_idx'),
        ),
    ]
