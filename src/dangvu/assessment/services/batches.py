"""Steps written in batches, all or nothing: the refusals of a batch by the index of each item
(`RowRefusals`), and many steps inserted at once, audited."""

from __future__ import annotations

from dangvu import regulations as R
from dangvu.core.errors import DomainError

from ..models import AssessmentStep


class RowRefusals(DomainError):
    """A batch refused as a whole (nothing written): `rows` maps the index of each refused item of the
    batch to its refusals, `general` holds those of the whole batch (the vote, the date, the cap on
    "excellent"). Its own message, field and code are the first refusal's."""

    def __init__(self, rows: dict[int, list[DomainError]], general: list[DomainError]):
        self.rows = {i: errors for i, errors in sorted(rows.items()) if errors}
        self.general = list(general)
        first = self.general[0] if self.general else next(iter(self.rows.values()))[0]
        super().__init__(first.message, field=first.field, code=first.code)

    def messages(self, index: int) -> list[str]:
        return [e.message for e in self.rows.get(index, [])]

    def as_api(self, items: str) -> dict:
        """The body of a 400 answer, as DRF words the errors of a list: `{items: {"index": {field:
        [reason]}}}` for the refused items, and the general refusals under their fields
        (`non_field_errors` without one)."""
        body: dict = {}
        if self.rows:
            body[items] = {str(i): {} for i in self.rows}
            for i, errors in self.rows.items():
                for e in errors:
                    body[items][str(i)].setdefault(e.field or "non_field_errors", []).append(e.message)
        for e in self.general:
            body.setdefault(e.field or "non_field_errors", []).append(e.message)
        return body


def refusals_of(exc: DomainError) -> list[DomainError]:
    """Each refusal a DomainError carries (a RuleViolation may carry several) as its own error."""
    refusals = getattr(exc, "refusals", None)
    if refusals and len(refusals) > 1:
        return [R.RuleViolation(r, field=exc.field) for r in refusals]
    return [exc]


def _audit_source() -> str:
    from auditlog.context import auditlog_value

    context = auditlog_value.get(None) or {}
    return (context.get("additional_data") or {}).get("source") or "system"


def steps_write(steps: list[AssessmentStep], actor=None) -> list[AssessmentStep]:
    """Insert many steps at once, audited explicitly (a bulk write sends no signal)."""
    from dangvu.core.audit import log_bulk_created

    created = AssessmentStep.objects.bulk_create(steps)
    log_bulk_created(created, actor=actor, source=_audit_source())
    return created
