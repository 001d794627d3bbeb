"""The demo logins: written with their roles and scopes, and listed for printing."""

from __future__ import annotations

from dangvu.accounts.services import (
    recovery_codes_issue,
    recovery_codes_unused,
    requires_two_factor,
    role_assign,
    user_create,
)

from .. import plan as demo_plan
from .registry import _org

USER_NAMES = {
    "admin": "Quản trị hệ thống",
    "bantochuc": "Cán bộ Ban Tổ chức",
    "bithu_nahy": "Bí thư Đảng ủy xã Nà Hỳ",
    "bithu_nahy1": "Bí thư Chi bộ bản Nà Hỳ 1",
}


def write_users(p: demo_plan.Plan) -> None:
    for username, role, scope, valid_from, later in p.users:
        user = user_create(username=username, organization=_org(scope), role=role, password=demo_plan.DEMO_PASSWORD,
                           full_name=USER_NAMES.get(username, ""), valid_from=valid_from, check_password=False)
        if later:
            role_assign(user=user, organization=_org(later), role=role, valid_from=demo_plan.D_2025)
        if requires_two_factor(user):  # printed by `dangvu demo`: the second step without a phone
            recovery_codes_issue(user=user)


def demo_logins() -> list[dict]:
    """The demo logins with their role and current scope (for printing)."""
    from django.contrib.auth import get_user_model

    from dangvu.accounts.selectors import current_assignments

    result = []
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[u[0] for u in demo_plan.DEMO_USERS])}
    for username, *_ in demo_plan.DEMO_USERS:
        user = users.get(username)
        if user is None:
            continue
        a = next(iter(current_assignments(user)), None)
        result.append({"username": username, "password": demo_plan.DEMO_PASSWORD,
                       "role": a.get_role_display() if a else "", "scope": a.organization.name if a else "",
                       "scope_code": a.organization.code if a else "",
                       "codes": recovery_codes_unused(user) if requires_two_factor(user) else []})
    return result
