"""dangvu demo: create the database, load the demo party organization if it is empty, print the
demo logins and serve the web application."""

import time

from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.core.errors import os_reason
from dangvu.core.management.base import DangvuCommand
from dangvu.core.management.commands.serve import run_server


class Command(DangvuCommand):
    needs_schema = False  # sets up (or replaces) the schema itself
    help = gettext_lazy(
        "Create the database, load the demo data (the Party committee of Nam Po district, Dien "
        "Bien province, about 2,300 members, history since 2012) if the database is empty, print "
        "the trial accounts, then run the web server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help=gettext_lazy("Only load the data and print the accounts; do not run the server."))

    def handle(self, *args, host, port, no_serve, **options):
        from dangvu.members.bulk import BulkErrors
        from dangvu.organizations.models import Organization

        from ...loader import load_demo
        from ...loader.users import demo_logins

        self.stdout.write(_("Preparing the database…"))
        call_command("migrate", interactive=False, verbosity=0)
        if Organization.objects.exists():
            self.stdout.write(_("The database already holds organizations: the demo data is not loaded."))
        else:
            self.stdout.write(_("Loading the demo data (a district party committee of Điện Biên province)…"))
            start = time.monotonic()
            try:
                counts = load_demo()
            except BulkErrors as exc:
                for err in exc.errors[:20]:
                    self.stderr.write(f"  {err}")
                self.fail(_("The demo data were refused (%(n)d members); nothing was written.") % {"n": len(exc.errors)})
            self.stdout.write(
                _("Loaded %(orgs)d organizations, %(members)d members and %(events)d events in %(s).0f s.")
                % {"orgs": counts["organizations"], "members": counts["members"], "events": counts["events"],
                   "s": time.monotonic() - start}
            )
        logins = demo_logins()
        if logins:
            self.stdout.write("")
            self.stdout.write(_("Demo logins (password for each: %(password)s)") % {"password": logins[0]["password"]})
            for login in logins:
                self.stdout.write(
                    "  " + _("%(username)s — %(role)s, scope: %(scope)s (%(code)s)")
                    % {"username": login["username"].ljust(11), "role": login["role"], "scope": login["scope"],
                       "code": login["scope_code"]}
                )
                if login["codes"]:
                    self.stdout.write("    " + _("one-time codes of the second step: %(codes)s")
                                      % {"codes": " ".join(login["codes"][:5])})
            if any(login["codes"] for login in logins):
                self.stdout.write(_("Administrators and organizers give a second step after the password: one of "
                                    "their one-time codes above (each works once), or the code of an authenticator "
                                    "application, set up from the page My account."))
            self.stdout.write("")
        if not no_serve:
            try:
                run_server(host, port, self.stdout)
            except OSError as exc:  # e.g. the port is already in use
                self.fail(_("Cannot serve on %(host)s:%(port)s: %(error)s") % {"host": host, "port": port,
                                                                               "error": os_reason(exc)})
