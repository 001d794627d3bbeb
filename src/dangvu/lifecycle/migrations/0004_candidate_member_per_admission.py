import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lifecycle', '0003_discipline_case'),
        ('members', '0008_readmission_restoration'),
    ]

    operations = [
        migrations.AlterField(
            model_name='candidate',
            name='member',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='candidacies', to='members.member', verbose_name='party member'),
        ),
    ]
