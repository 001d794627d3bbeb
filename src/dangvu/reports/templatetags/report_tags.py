"""Template tags of the report pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

register = template.Library()

#: The label of each download a report's header offers.
#: (JSON is for other systems: the API and `?format=json` serve it, not a button for people.)
DOWNLOAD_LABELS = {"xlsx": _("Download Excel"), "docx": _("Download Word (.docx)")}


@register.inclusion_tag("reports/_report_header.html", takes_context=True)
def report_header(context, subtitle, view_name, downloads="xlsx", **params):
    """The header of a report's card: the title, the organization's name on the report's day with
    `subtitle`, and a download link per format of `downloads` ("xlsx", "xlsx,docx") to `view_name`
    with `params` and `format`."""
    url = reverse(view_name)
    return {
        "data": context["data"],
        "title": context.get("title", ""),
        "org_name": context["data"]["org"]["name"],
        "subtitle": subtitle,
        "downloads": [{"label": DOWNLOAD_LABELS[fmt], "url": f"{url}?{urlencode({**params, 'format': fmt})}"}
                      for fmt in downloads.split(",") if fmt],
    }


@register.inclusion_tag("reports/_future_notice.html")
def future_notice(data):
    """A line under a report's title when its day (or its period's last day) is still to come."""
    last_day = data.get("as_of") or data.get("to")  # ISO
    return {"future": bool(last_day) and str(last_day) > timezone.localdate().isoformat()}


@register.inclusion_tag("reports/print/_letterhead.html", takes_context=True)
def print_letterhead(context, org=None):
    """The official header of a printed report (shown in print only): the committee above and the
    committee, "ĐẢNG CỘNG SẢN VIỆT NAM", the place and today's date (`letterhead`)."""
    from dangvu.reports.letterhead import letterhead

    org = org or context.get("org") or context.get("root")
    return {"head": letterhead(org, timezone.localdate()) if org is not None else None}


@register.inclusion_tag("reports/print/_signature.html", takes_context=True)
def print_signature(context, org=None, with_place=False):
    """The signature block of a printed report (shown in print only); `with_place`: the place and date
    above the signer (the statistics forms, whose header has no date)."""
    from dangvu.reports.letterhead import letterhead

    org = org or context.get("org") or context.get("root")
    return {"head": letterhead(org, timezone.localdate()) if org is not None else None, "with_place": with_place}
