"""REST API of the organization tree (/api/organizations/).

Web layer: scope and role come from `accounts.api.ScopedViewSetMixin` (organizations outside the
caller's scope are absent from lists and answer 404; writing needs a role that may edit, 403).
Every organization named in the input is looked up in that scope (`ScopedOrganizationField`);
outside it, it does not exist. Dissolving and merging move members (`members.restructuring`).

Modules: `viewset` with its `serializers` and `filters`; `fields`, which the other apps' APIs use too
(exported here).
"""

from __future__ import annotations

from .fields import DecisionInputSerializer, ScopedOrganizationField, decision_from

__all__ = [
    "DecisionInputSerializer",
    "ScopedOrganizationField",
    "decision_from",
]
