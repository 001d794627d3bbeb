"""Suspension of party activities (đình chỉ sinh hoạt đảng): the member's current flag, the member periods'
flag (covered by the cell index, and an index of the few suspended periods, as the exempted ones have), and the
planned end of a suspension on its event. No history holds a suspension yet: every existing row is not
suspended, which the defaults say."""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    # not one transaction, as 0016: the cell index is rebuilt after the column is added
    atomic = False

    dependencies = [
        ('members', '0017_drop_card_number_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='memberperiod',
            name='memberperiod_cell_cover_idx',
        ),
        migrations.AddField(
            model_name='member',
            name='suspended',
            field=models.BooleanField(default=False, editable=False, verbose_name='suspended from party activities'),
        ),
        migrations.AddField(
            model_name='memberevent',
            name='planned_end',
            field=models.DateField(blank=True, null=True, verbose_name='planned end'),
        ),
        migrations.AddField(
            model_name='memberperiod',
            name='suspended',
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name='memberevent',
            name='kind',
            field=models.CharField(choices=[
                ('admitted', 'Admitted'), ('made_official', 'Made official member'),
                ('transferred_in', 'Transferred in'), ('moved', 'Moved to another cell'),
                ('transferred_out', 'Transferred out'), ('exempted', 'Exempted from activities'),
                ('exemption_ended', 'Exemption ended'), ('suspended', 'Suspended from party activities'),
                ('suspension_lifted', 'Suspension of party activities lifted'), ('disciplined', 'Disciplined'),
                ('card_issued', 'Party card issued'), ('badge_awarded', 'Party badge awarded'),
                ('removed', 'Removed from the Party'), ('expelled', 'Expelled'), ('resigned', 'Left the Party'),
                ('died', 'Deceased'), ('restored', 'Membership restored')], max_length=32, verbose_name='event'),
        ),
        migrations.AddIndex(
            model_name='memberperiod',
            index=models.Index(
                models.F('cell'),
                django.db.models.functions.comparison.Coalesce('valid_to', models.Value('9999-12-31'),
                                                               output_field=models.DateField()),
                models.F('valid_from'), models.F('valid_to'), models.F('member'), models.F('status'),
                models.F('exempted'), models.F('suspended'), models.F('sex'), models.F('ethnicity'),
                models.F('religion'), models.F('birth_date'), models.F('general_education'),
                models.F('political_theory_level'), models.F('party_age_start'), models.F('readmitted'),
                name='memberperiod_cell_cover_idx'),
        ),
        migrations.AddIndex(
            model_name='memberperiod',
            index=models.Index(condition=models.Q(('suspended', True)), fields=['member', 'valid_from', 'valid_to'],
                               name='memberperiod_suspended_idx'),
        ),
    ]
