"""The card number's own index goes: issuing a card finds a number through (status, card_number) with
every status (`lifecycle.services.recognition.issue_card`), and every new member paid for both indexes
(bench/findings.md, session 9)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0016_period_profile_more'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='member',
            name='member_card_idx',
        ),
    ]
