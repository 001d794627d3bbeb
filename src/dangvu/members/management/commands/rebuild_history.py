"""dangvu rebuild-history: recompute every derived period from the events, and the member search
index from the members (a repair tool)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from dangvu.core.management.base import DangvuCommand


class Command(DangvuCommand):
    help = gettext_lazy("Rebuild the periods (organizations, Party members) from the recorded changes.")

    def handle(self, *args, **options):
        from django.db import transaction

        from dangvu.members.models import Member
        from dangvu.members.search import rebuild_index
        from dangvu.members.services import rebuild
        from dangvu.organizations.models import Organization
        from dangvu.organizations.services import rebuild_periods

        with transaction.atomic():
            for org in tqdm(Organization.objects.all(), desc=_("Organizations"), disable=None):
                rebuild_periods(org)
            for member in tqdm(Member.objects.all().iterator(), total=Member.objects.count(), desc=_("Members"),
                               disable=None):
                rebuild(member)
            rebuild_index()
        self.stdout.write(_("Done."))
