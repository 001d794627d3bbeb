"""One person, one national ID number: unique among the members (blank allowed). A database whose
members already share numbers stops here and lists them, with nothing changed: correct them on the
members' pages (the server runs meanwhile), then migrate again."""

from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models import Count


def refuse_shared_numbers(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    shared = (Member.objects.exclude(national_id_number="").values("national_id_number")
              .annotate(n=Count("id")).filter(n__gt=1).values_list("national_id_number", flat=True))
    lines = []
    for number in shared.order_by("national_id_number")[:50]:
        codes = Member.objects.filter(national_id_number=number).order_by("code").values_list("code", flat=True)
        lines.append(f"  {number}: {', '.join(codes)}")
    if lines:
        raise CommandError("Một số CCCD thuộc nhiều đảng viên; sửa lại trên trang của đảng viên rồi chạy lại "
                           "`dangvu migrate`:\n" + "\n".join(lines))


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0011_version'),
        ('organizations', '0003_shared_bases_labels'),
    ]

    operations = [
        migrations.RunPython(refuse_shared_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='member',
            constraint=models.UniqueConstraint(condition=models.Q(('national_id_number', ''), _negated=True), fields=('national_id_number',), name='member_national_id_uniq'),
        ),
    ]
