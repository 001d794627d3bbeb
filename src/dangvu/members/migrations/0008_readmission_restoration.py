
from django.db import migrations, models
from django.db.models import Count, Max


def readmissions(apps, schema_editor):
    """`readmitted_on` as the replay derives it: the last admission of a record admitted more than
    once (history.apply allowed it before this column existed). Readmissions recorded by the old
    candidate flow made a second record and are left as they are."""
    Member = apps.get_model("members", "Member")
    MemberEvent = apps.get_model("members", "MemberEvent")
    rows = (MemberEvent.objects.filter(kind="admitted").values("member_id")
            .annotate(n=Count("id"), last=Max("effective_on")).filter(n__gt=1))
    for row in rows:
        Member.objects.filter(pk=row["member_id"]).update(readmitted_on=row["last"])


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0007_slimmer_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='member',
            name='readmitted_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='readmitted on'),
        ),
        migrations.AlterField(
            model_name='memberevent',
            name='kind',
            field=models.CharField(choices=[('admitted', 'Admitted'), ('made_official', 'Made official member'), ('transferred_in', 'Transferred in'), ('moved', 'Moved to another cell'), ('transferred_out', 'Transferred out'), ('exempted', 'Exempted from activities'), ('exemption_ended', 'Exemption ended'), ('disciplined', 'Disciplined'), ('card_issued', 'Party card issued'), ('badge_awarded', 'Party badge awarded'), ('removed', 'Removed from the Party'), ('expelled', 'Expelled'), ('resigned', 'Left the Party'), ('died', 'Deceased'), ('restored', 'Membership restored')], max_length=32, verbose_name='event'),
        ),
        migrations.RunPython(readmissions, migrations.RunPython.noop),
    ]
