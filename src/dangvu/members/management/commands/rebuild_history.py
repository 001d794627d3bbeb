"""dangvu rebuild-history: recompute every derived period from the events, and the member search
index from the members (a repair tool: `members.services.history_rebuild_all`)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from dangvu.core.management.base import DangvuCommand


class Command(DangvuCommand):
    help = gettext_lazy("Rebuild the periods (organizations, Party members) from the recorded changes.")

    def handle(self, *args, **options):
        from dangvu.members.services import history_rebuild_all

        labels = {"organizations": _("Organizations"), "members": _("Members")}
        history_rebuild_all(progress=lambda items, key, total: tqdm(items, desc=labels[key], total=total,
                                                                     disable=None))
        self.stdout.write(_("Done."))
