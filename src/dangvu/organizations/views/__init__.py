"""Organization pages (/organizations/...): the tree as it stood on a day (`tree`), an organization's
page (`detail`: subordinate organizations, members, `history` in words, `change_log`), the organization
picker's data (`picker`: JSON, loaded on demand); here, the day the pages are asked for. The forms that
change an organization are in `views_actions`.

Web layer: it may use any app (the user's scope and role from accounts, member counts from
members); every organization comes from the user's scope (`accounts.scope`), outside it: 404.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from dangvu.core.dates import check_day, parse_date
from dangvu.core.errors import DomainError


def _as_of(request, key: str = "as_of") -> tuple[dt.date, str]:
    """The day asked for in ?as_of= (dd/mm/yyyy or yyyy-mm-dd), default today; with an error text."""
    today = timezone.localdate()
    try:
        return check_day(parse_date(request.GET.get(key, ""), field=key), field=key) or today, ""
    except DomainError as exc:
        return today, exc.message
