"""Account operations: create a login bound to an organization and a role; change the role."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization

from .models import Role, RoleAssignment
from .selectors import today

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,150}$")


@transaction.atomic
def user_create(*, username: str, organization: Organization, role: str, password: str,
                full_name: str = "", valid_from: dt.date | None = None, check_password: bool = True):
    """Create a login bound to `organization`'s subtree with `role`, from `valid_from` (today)."""
    User = get_user_model()
    if not USERNAME_RE.match(username or ""):
        raise DomainError(_("The username must be 3–150 letters, digits or . _ @ -."), field="username")
    if User.objects.filter(username=username).exists():
        raise DomainError(_("The username %(u)s is already taken.") % {"u": username}, field="username")
    if role not in Role.values:
        raise DomainError(
            _("Unknown role %(role)s; use one of: %(roles)s.") % {"role": role, "roles": ", ".join(Role.values)},
            field="role",
        )
    if check_password:
        try:
            validate_password(password)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field="password")
    user = User(username=username, first_name=full_name[:150])
    user.set_password(password)
    user.save()
    RoleAssignment.objects.create(user=user, organization=organization, role=role, valid_from=valid_from or today())
    return user


@transaction.atomic
def role_assign(*, user, organization: Organization, role: str, valid_from: dt.date | None = None):
    """Give `user` a new role from `valid_from`, ending the assignments open on that day."""
    if role not in Role.values:
        raise DomainError(_("Unknown role %(role)s.") % {"role": role}, field="role")
    start = valid_from or today()
    for a in RoleAssignment.objects.active_on(start).filter(user=user):
        if a.valid_from == start:
            a.delete()
        else:
            a.valid_to = start
            a.save()
    return RoleAssignment.objects.create(user=user, organization=organization, role=role, valid_from=start)
