"""Text lengths checked against the model fields' `max_length` before anything is written, so that
a check (a form, the API, an import's dry run) refuses what the database would refuse, on SQLite
(which does not enforce lengths) as on PostgreSQL."""

from __future__ import annotations

import functools

from django.utils.translation import gettext as _

from .errors import DomainError


@functools.cache
def max_length(model, field: str) -> int | None:
    return model._meta.get_field(field).max_length


def check_length(model, field: str, value, *, error_field: str | None = None):
    """`value` when it fits `model.field`; DomainError (on `error_field`, default `field`) otherwise."""
    limit = max_length(model, field)
    if limit is not None and isinstance(value, str) and len(value) > limit:
        raise DomainError(_("At most %(limit)d characters (%(given)d given).") % {"limit": limit, "given": len(value)},
                          field=error_field or field)
    return value


@functools.cache
def _limits(model) -> dict[str, int]:
    return {f.name: f.max_length for f in model._meta.get_fields() if getattr(f, "max_length", None)}


def check_lengths(model, values: dict) -> dict:
    """check_length for every text value of `values` (field → value) that `model` has a field for."""
    limits = _limits(model)
    for field, value in values.items():
        limit = limits.get(field)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            check_length(model, field, value)
    return values
