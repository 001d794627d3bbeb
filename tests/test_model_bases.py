"""The shared model bases: the effective-dated period and its `active_on(day)`."""

import datetime as dt

from django.contrib.auth import get_user_model

from dangvu.accounts.models import RoleAssignment
from dangvu.core.models import active_on_q
from dangvu.members.models import MemberPeriod

D = dt.date


def test_active_on_is_half_open_and_an_open_period_never_ends(tree):
    user = get_user_model().objects.create_user("nguoidung")
    closed = RoleAssignment.objects.create(user=user, organization=tree["X01"], role="viewer",
                                           valid_from=D(2020, 1, 1), valid_to=D(2021, 1, 1))
    open_ = RoleAssignment.objects.create(user=user, organization=tree["X01"], role="organizer",
                                          valid_from=D(2021, 1, 1))
    on = lambda day: set(RoleAssignment.objects.filter(user=user).active_on(day))  # noqa: E731
    assert on(D(2019, 12, 31)) == set()
    assert on(D(2020, 1, 1)) == {closed}  # valid_from is in
    assert on(D(2020, 12, 31)) == {closed}
    assert on(D(2021, 1, 1)) == {open_}  # valid_to is out: the next period starts that day
    assert on(D(2999, 1, 1)) == {open_}
    assert set(user.role_assignments.active_on(D(2020, 6, 1))) == {closed}  # through a relation too


def test_active_on_through_a_relation_and_the_periods_label(tree, make_member):
    m = make_member(tree["C01"], admitted_on=D(2015, 5, 19))
    first = MemberPeriod.objects.filter(member=m).order_by("valid_from").first()
    assert type(m).objects.filter(active_on_q(D(2015, 5, 19), "periods__"), pk=m.pk).exists()
    assert not type(m).objects.filter(active_on_q(D(2015, 5, 18), "periods__"), pk=m.pk).exists()
    assert str(first).startswith("19/05/2015 –")
