# The shared model bases of core.models: their verbose names and blank (no change to the database).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0002_org_path'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='organizationevent',
            name='recorded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by'),
        ),
        migrations.AlterField(
            model_name='organizationperiod',
            name='valid_from',
            field=models.DateField(verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='organizationperiod',
            name='valid_to',
            field=models.DateField(blank=True, null=True, verbose_name='until'),
        ),
    ]
