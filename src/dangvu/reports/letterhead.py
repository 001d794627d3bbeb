"""The official header and signature block of a printed report (thể thức văn bản của Đảng): the
committee above and the committee issuing (upper case, left), "ĐẢNG CỘNG SẢN VIỆT NAM" and the place
and date (right); the signature block ("Người lập biểu" and the title configured for the committee,
`statforms.config.signer_title`). Used by the print view of every report page and by the PDF forms."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from .statforms import config


def place_date(day: dt.date) -> str:
    """"Mường Chà, ngày 06 tháng 12 năm 2026" (the place of DANGVU_REPORT_PLACE; dots when unset)."""
    place = getattr(settings, "REPORT_PLACE", "") or "……"
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place, "day": f"{day.day:02d}", "month": f"{day.month:02d}", "year": day.year}


def letterhead(org, day: dt.date) -> dict:
    """What the header and the signature block print for `org` (its parent read from `org.parent`,
    selected with it by the report pages: no query)."""
    parent = org.parent if org.parent_id else None
    return {
        "superior": parent.name.upper() if parent else "",
        "committee": org.name.upper(),
        "party": _("COMMUNIST PARTY OF VIETNAM"),
        "place_date": place_date(day),
        "prepared_by": _("Prepared by"),
        "signer": config.signer_title().upper(),
        "sign_hint_left": _("(Signature, full name)"),
        "sign_hint_right": _("(Signature, full name, seal)"),
    }
