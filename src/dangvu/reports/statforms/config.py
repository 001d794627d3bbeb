"""Configuration of the statistics forms (biểu mẫu thống kê cơ bản, HD 11-HD/BTCTW): the parts the
sources leave UNCONFIRMED (domain-rules §12.4), each a Django setting or environment variable with a
documented default (README "Configuration"). Read when a form is built, so tests may override them.
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from dangvu.organizations.models import UnitKind

#: How a transfer across the edge of the database (a TRANSFERRED_IN / TRANSFERRED_OUT event: the other
#: side is not recorded here) is split in form 1: "other_province" (the default: a database holding
#: one province) or "same_province" (a database holding one district or commune of the province).
EXTERNAL_CHOICES = ("other_province", "same_province")
#: From this day the district level is gone (Resolution 60-NQ/TW, 2025): form 1's "another district
#: of the province" sub-rows become "another unit of the province" unless configured.
DISTRICTS_ABOLISHED_ON = dt.date(2025, 7, 1)


def _setting(name: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, "")
    return str(value).strip()


def signer_title() -> str:
    """The title signing for the committee (DANGVU_FORMS_SIGNER_TITLE; default "Trưởng ban")."""
    return _setting("DANGVU_FORMS_SIGNER_TITLE") or _("Head of the Organization Commission")


def external_transfers() -> str:
    """DANGVU_FORMS_EXTERNAL_TRANSFERS: other_province (default) or same_province."""
    value = _setting("DANGVU_FORMS_EXTERNAL_TRANSFERS") or EXTERNAL_CHOICES[0]
    if value not in EXTERNAL_CHOICES:
        raise ImproperlyConfigured(f"DANGVU_FORMS_EXTERNAL_TRANSFERS must be one of {', '.join(EXTERNAL_CHOICES)}: "
                                   f"{value!r}")
    return value


def within_province_labels(day: dt.date) -> tuple[str, str]:
    """The labels of form 1's "within the province" sub-rows (in, out) for a period ending on `day`:
    DANGVU_FORMS_WITHIN_PROVINCE_IN / _OUT when set; else "another district of the province" up to
    30/6/2025 and "another unit of the province" from 1/7/2025 (UNCONFIRMED)."""
    came, went = _setting("DANGVU_FORMS_WITHIN_PROVINCE_IN"), _setting("DANGVU_FORMS_WITHIN_PROVINCE_OUT")
    if day < DISTRICTS_ABOLISHED_ON:
        defaults = (_("From another district of the province"), _("To another district of the province"))
    else:
        defaults = (_("From another unit of the province"), _("To another unit of the province"))
    return came or defaults[0], went or defaults[1]


def unit_kind_rows() -> tuple[str, ...]:
    """The rows of form 5, in order: DANGVU_FORMS_UNIT_KINDS, comma-separated values of UnitKind
    (default: every kind in its declared order). A kind left out counts under "Other"."""
    value = _setting("DANGVU_FORMS_UNIT_KINDS")
    if not value:
        return tuple(UnitKind.values)
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    unknown = [k for k in kinds if k not in UnitKind.values]
    if unknown or len(set(kinds)) != len(kinds):
        raise ImproperlyConfigured(f"DANGVU_FORMS_UNIT_KINDS lists kinds of grassroots unit once each, among "
                                   f"{', '.join(UnitKind.values)}: {value!r}")
    if UnitKind.OTHER not in kinds:
        kinds += (UnitKind.OTHER.value,)
    return kinds
