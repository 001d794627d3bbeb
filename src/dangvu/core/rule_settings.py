"""The administrator's settings of the UNCONFIRMED Party rules (cài đặt quy định chưa xác nhận).

One TOML file, `settings.DANGVU_RULES_FILE` (default `DANGVU_DATA_DIR/rules.toml`), one table per
rule field, e.g.::

    badge_award_rule = "first_occasion_after"
    awareness_certificate_valid_months = 36

`rule_overrides()` is the one function that supplies them: `regulations.rules_on(day)` reads it
whenever no overrides are passed, so every rule function honours the file. The file is read again
when it changes (seen within a second); a missing file means no overrides.
"""

from __future__ import annotations

import os
import time
import tomllib
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

_EMPTY: MappingProxyType = MappingProxyType({})
#: Seconds between two looks at the file: rule functions run per event of a replay, a stat each time costs.
RECHECK_SECONDS = 1.0
_cache: dict[str, Any] = {"key": None, "value": _EMPTY, "checked": None, "path": None}


def rules_file() -> str:
    return str(getattr(settings, "DANGVU_RULES_FILE", ""))


def rule_overrides() -> MappingProxyType:
    """The overrides of the administrator's rules file (field name → value), {} when there is none.

    The file is looked at again at most every `RECHECK_SECONDS`, and read again when it changed. A
    file that is not valid TOML raises ImproperlyConfigured with the reason (the system check
    `dangvu.E001` reports it at start-up)."""
    now = time.monotonic()
    checked = _cache["checked"]
    if checked is not None and now - checked < RECHECK_SECONDS:
        return _cache["value"]
    path = _cache["path"] or rules_file()
    try:
        stat = os.stat(path) if path else None
    except OSError:
        stat = None
    key = (path, stat.st_mtime_ns, stat.st_size) if stat else None
    if key != _cache["key"]:
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
    _cache.update(checked=now, path=path)
    return _cache["value"]


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    """Another rules file (tests, `override_settings`): read it on the next call."""
    if setting == "DANGVU_RULES_FILE":
        _cache.update(key=None, value=_EMPTY, checked=None, path=None)
