"""dangvu user add USERNAME --org CODE --role ROLE [--password-stdin] | dangvu user list |
dangvu user reset-2fa USERNAME"""

import getpass
import sys

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangvu.accounts import services
from dangvu.accounts.models import Role, RoleAssignment
from dangvu.core.management.base import DangvuCommand
from dangvu.organizations.models import Organization


class Command(DangvuCommand):
    help = gettext_lazy("Manage login accounts.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help=gettext_lazy("Create an account tied to an organization and a role"))
        add.add_argument("username")
        add.add_argument("--org", required=True, help=gettext_lazy("Organization code"))
        add.add_argument("--role", required=True, help="admin, organizer, inspector, secretary, viewer")
        add.add_argument("--password-stdin", action="store_true", help=gettext_lazy("Read the password from standard input"))
        add.add_argument("--full-name", default="")
        sub.add_parser("list", help=gettext_lazy("List the accounts"))
        reset = sub.add_parser("reset-2fa", help=gettext_lazy("Remove the authenticator app and the backup codes (the user lost their phone)"))
        reset.add_argument("username")

    def handle(self, *args, action, **opts):
        if action == "add":
            return self._add(**opts)
        if action == "reset-2fa":
            return self._reset_2fa(**opts)
        return self._list()

    def _reset_2fa(self, username, **_opts):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            self.fail(_("No user has the username %(u)s.") % {"u": username})
        services.two_factor_reset(user=user)
        self.stdout.write(_("The second factor of %(u)s is reset: the next login enrols a new authenticator.")
                          % {"u": username})

    def _add(self, username, org, role, password_stdin, full_name, **_opts):
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            self.fail(_("No organization has code %(code)s.") % {"code": org})
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            try:
                password = getpass.getpass(_("Password: "))
            except (EOFError, KeyboardInterrupt):
                self.fail(_("No password was given: type it when asked, or pipe it in with --password-stdin."))
        if not password:
            self.fail(_("The password is empty."))
        services.user_create(username=username, organization=organization, role=role, password=password,
                             full_name=full_name)
        self.stdout.write(_("Created user %(u)s (%(role)s, %(org)s).") % {
            "u": username, "role": Role(role).label, "org": organization.name})

    def _list(self):
        User = get_user_model()
        current = {a.user_id: a for a in RoleAssignment.objects.filter(valid_to__isnull=True).select_related("organization")}
        self.stdout.write(f"{_('Username'):<20} {_('Role'):<12} {_('Organization')}")
        for user in User.objects.order_by("username"):
            a = current.get(user.pk)
            role = a.role if a else "-"
            org = f"{a.organization.code} {a.organization.name}" if a else "-"
            state = "" if user.is_active else f" ({_('disabled')})"
            self.stdout.write(f"{user.username:<20} {role:<12} {org}{state}")
