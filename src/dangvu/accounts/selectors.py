"""Who may see and do what: the user's current role assignments and the scope they open."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from dangvu.organizations.models import Organization
from dangvu.organizations.selectors import subtree_q

from .models import Role, RoleAssignment


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
        RoleAssignment.objects.active_on(d).filter(user=user)
        .select_related("organization")
    )
    if day is None:
        user._dangvu_assignments = result
    return result


def roles(user) -> set[str]:
    return {a.role for a in current_assignments(user)}


def scope_root_ids(user) -> list[int]:
    return sorted({a.organization_id for a in current_assignments(user)})


def scope_roots(user) -> list:
    """The organizations at the top of the user's scope (each with its subtree)."""
    return sorted({a.organization_id: a.organization for a in current_assignments(user)}.values(), key=lambda o: o.pk)


def scope_covers_everything(user) -> bool:
    """True when the user's scope roots include every root of the tree: then no filter is needed.
    Asked once per user object, as the assignments are (a request loads its user afresh): a page
    asks it for every scoped queryset it builds."""
    cached = getattr(user, "_dangvu_covers_everything", None)
    if cached is not None:
        return cached
    roots = set(scope_root_ids(user))
    if not roots:
        return False
    result = not Organization.objects.filter(parent__isnull=True).exclude(pk__in=roots).exists()
    user._dangvu_covers_everything = result
    return result


def scope_q(user, prefix: str = "") -> Q:
    """Filter to the user's scope: organizations (`prefix=""`) or rows whose foreign key `prefix`
    (e.g. "cell__", "member__cell__") points to an organization in it. Everything when the scope
    covers every root."""
    if scope_covers_everything(user):
        return Q()
    return subtree_q(scope_roots(user), prefix)


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Organizations in the user's scope: the subtrees of their current assignments (none when
    anonymous or unassigned)."""
    return Organization.objects.filter(scope_q(user))


def is_admin(user) -> bool:
    return Role.ADMIN in roles(user)


def primary_assignment(user) -> RoleAssignment | None:
    assignments = current_assignments(user)
    return assignments[0] if assignments else None
