"""Account operations: create a login bound to an organization and a role; change the role."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from dangvu.core.audit import log_access
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organization

from .models import Role, RoleAssignment
from .selectors import roles, today

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


# --- Second factor (xác thực hai lớp) and API tokens --------------------------------------------

RECOVERY_CODES = 10


def requires_two_factor(user) -> bool:
    """True for the roles that verify a second factor after the password (settings.TWO_FACTOR_ROLES)."""
    return bool(roles(user) & set(settings.TWO_FACTOR_ROLES))


def totp_device_pending(user):
    """The authenticator being enrolled (TOTP, not yet confirmed): the same one until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_enrol_confirm(*, user, device, code: str) -> list[str]:
    """Confirm the authenticator `device` by one of its codes; it replaces any earlier one. Returns new
    one-time recovery codes (shown once), replacing the earlier ones."""
    if device.user_id != user.pk or not device.verify_token((code or "").strip()):
        raise DomainError(_("The code is wrong or out of date: enter the 6 digits the application shows now."),
                          field="code")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    return recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """New one-time recovery codes of the second factor, replacing the earlier ones."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def recovery_codes_unused(user) -> list[str]:
    return list(StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True))


@transaction.atomic
def two_factor_reset(*, user) -> None:
    """Forget the user's authenticator and recovery codes: the next login enrols a new one."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def api_token_expired(token) -> bool:
    return token.created < timezone.now() - dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


@transaction.atomic
def api_token_issue(*, user, otp_code: str = ""):
    """The user's API token: the current one, or a new one when it has expired (audited). The roles of
    the second factor give a code of it (TOTP or recovery code) too."""
    if requires_two_factor(user) and match_token(user, (otp_code or "").strip()) is None:
        raise DomainError(_("Your role needs the code of your authenticator application (or a recovery code)."),
                          field="otp")
    token = Token.objects.filter(user=user).first()
    if token is not None and not api_token_expired(token):
        return token
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    log_access(user, "api_token_created")
    return token
