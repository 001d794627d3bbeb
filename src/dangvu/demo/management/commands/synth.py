"""dangvu synth: generate a synthetic organization of N members (benchmarks, load tests)."""

import time

from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.management.base import DangvuCommand


def use_database(url: str) -> None:
    """Point the default connection at `url` (same options as settings for SQLite)."""
    from pathlib import Path

    import dj_database_url
    from django.conf import settings
    from django.db import connections

    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    connections["default"].close()
    configured = connections.configure_settings({"default": config})
    settings.DATABASES["default"] = configured["default"]
    connections.settings["default"] = configured["default"]
    del connections["default"]


class Command(DangvuCommand):
    needs_schema = False  # sets up (or replaces) the schema itself
    help = gettext_lazy(
        "Generate synthetic (simulated) data at scale: a provincial Party committee with commune "
        "Party committees (1,000–3,000 members), Party cells of about 22 members, and N members "
        "with a history (admission, full membership, transfers, deaths…). Above 300,000 members: "
        "the root holds several regions of about 200,000 members. The data is simulated, so NO "
        "audit log is written. Example: dangvu synth --members 200000"
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, required=True, help=gettext_lazy("Number of Party members to generate."))
        parser.add_argument("--seed", type=int, default=1, help=gettext_lazy("Random seed (root code: SYN<seed>)."))
        parser.add_argument("--database-url", help=gettext_lazy("Target database (default: DANGVU_DATABASE_URL)."))
        parser.add_argument("--batch", type=int, default=50_000, help=gettext_lazy("Party members written per batch (default 50,000)."))
        parser.add_argument("--ratings", metavar=gettext_lazy("YEAR,YEAR"), default="",
                            help=gettext_lazy("Also generate the quality ratings of these years, e.g. 2023,2024,2025."))

    def handle(self, *args, members, seed, database_url, batch, ratings="", **options):
        from tqdm import tqdm

        from ...synth import synth

        if members < 1:
            self.fail(_("The number of members must be positive."))
        if batch < 1:
            self.fail(_("The batch size must be positive."))
        try:
            years = tuple(sorted({int(y) for y in ratings.replace(" ", "").split(",") if y}))
        except ValueError:
            self.fail(_("The years of --ratings are numbers such as 2023,2024,2025."))
        if any(y < 1930 or y > 2100 for y in years):
            self.fail(_("The years of --ratings are numbers such as 2023,2024,2025."))
        if database_url:
            use_database(database_url)
        call_command("migrate", interactive=False, verbosity=0)
        start = time.monotonic()
        with tqdm(total=members, unit=_("members"), disable=None) as bar:
            counts = synth(members, seed, batch=batch, progress=bar.update, rating_years=years)
        seconds = time.monotonic() - start
        self.stdout.write(
            _("Generated %(root)s: %(orgs)d organizations, %(members)d members, %(events)d events in %(s).0f s "
              "(%(rate).0f members/s).")
            % {"root": counts["root"], "orgs": counts["organizations"], "members": counts["members"],
               "events": counts["events"], "s": seconds, "rate": counts["members"] / max(seconds, 1e-9)}
        )
