"""The administrator's settings of the UNCONFIRMED Party rules (cài đặt quy định chưa xác nhận).

One TOML file, `settings.DANGVU_RULES_FILE` (default `DANGVU_DATA_DIR/rules.toml`), one table per
rule field, e.g.::

    badge_award_rule = "first_occasion_after"
    awareness_certificate_valid_months = 36

`rule_overrides()` is the one function that supplies them: `regulations.rules_on(day)` reads it
whenever no overrides are passed, so every rule function honours the file. The file is read again
when it changes; a missing file means no overrides.
"""

from __future__ import annotations

import os
import tomllib
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

_EMPTY: MappingProxyType = MappingProxyType({})
_cache: dict[str, Any] = {"key": None, "value": _EMPTY}


def rules_file() -> str:
    return str(getattr(settings, "DANGVU_RULES_FILE", ""))


def rule_overrides() -> MappingProxyType:
    """The overrides of the administrator's rules file (field name → value), {} when there is none.

    A file that is not valid TOML raises ImproperlyConfigured with the reason (the system check
    `core.rules_file` reports it at start-up)."""
    path = rules_file()
    try:
        stat = os.stat(path) if path else None
    except OSError:
        stat = None
    key = (path, stat.st_mtime_ns, stat.st_size) if stat else None
    if key == _cache["key"]:
        return _cache["value"]
    value = _EMPTY
    if key is not None:
        try:
            with open(path, "rb") as fh:
                value = MappingProxyType(tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ImproperlyConfigured(
                _("The rules file %(path)s cannot be read: %(reason)s") % {"path": path, "reason": exc}
            ) from None
    _cache.update(key=key, value=value)
    return value
