from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0013_card_number_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='member',
            index=models.Index(fields=['status', 'card_number'], name='member_status_card_idx'),
        ),
    ]
