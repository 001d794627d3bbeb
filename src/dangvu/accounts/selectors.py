"""Who may see and do what: the user's current role assignments and the scope they open."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from dangvu.organizations.selectors import scope_subtree_sql

from .models import PERSONAL_DATA_ROLES, WRITER_ROLES, Role, RoleAssignment


def today() -> dt.date:
    return timezone.localdate()


def current_assignments(user, day: dt.date | None = None) -> list[RoleAssignment]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = getattr(user, "_dangvu_assignments", None)
    if cache is not None and day is None:
        return cache
    d = day or today()
    result = list(
        RoleAssignment.objects.filter(user=user, valid_from__lte=d)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=d))
        .select_related("organization")
    )
    if day is None:
        user._dangvu_assignments = result
    return result


def roles(user) -> set[str]:
    return {a.role for a in current_assignments(user)}


def scope_root_ids(user) -> list[int]:
    return sorted({a.organization_id for a in current_assignments(user)})


def scope_covers_everything(user) -> bool:
    """True when the user's scope roots include every root of the tree: then no filter is needed
    (and the recursive scope subquery, which PostgreSQL under-estimates, is skipped — bench/findings.md)."""
    from dangvu.organizations.models import Organization

    roots = set(scope_root_ids(user))
    if not roots:
        return False
    return not Organization.objects.filter(parent__isnull=True).exclude(pk__in=roots).exists()


def scope_org_ids_sql(user) -> RawSQL:
    """A subquery of the ids of every organization in the user's scope (current tree)."""
    sql, params = scope_subtree_sql(scope_root_ids(user))
    return RawSQL(sql, params)


def can_write(user) -> bool:
    return bool(roles(user) & set(WRITER_ROLES))


def can_see_personal_data(user) -> bool:
    return bool(roles(user) & set(PERSONAL_DATA_ROLES))


def is_admin(user) -> bool:
    return Role.ADMIN in roles(user)


def primary_assignment(user) -> RoleAssignment | None:
    assignments = current_assignments(user)
    return assignments[0] if assignments else None
