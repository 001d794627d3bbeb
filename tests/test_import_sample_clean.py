"""The sample workbook of the import page (`imports.samples`): clean for a new user — checked with no
error and no warning, and once imported, no finding added to `report checks` of the user's organization
(here, not in the imports app: it reads a report, a layer above)."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvu.imports.services import import_workbook
from dangvu.organizations.models import Organization

D = dt.date


@pytest.mark.parametrize("kind", ["provincial", "district"])
def test_the_sample_offered_on_the_import_page_is_clean_checked_and_once_imported(db, tmp_path, make_user, kind):
    """The sample a new user imports (placed under their organization: a province since the district level
    ended on 01/07/2025, or a district-level committee) is checked with no error and no warning, and adds
    no finding to `report checks` of that organization, today or on any day of its history."""
    from django.utils import timezone

    from dangvu.imports import samples
    from dangvu.organizations.services import organization_establish
    from dangvu.reports.queries import checks

    org = organization_establish(code="T01", name="Đảng bộ tỉnh Thử", kind=kind)
    user = make_user("bantochuc", org, role="organizer")
    path = tmp_path / "mau-hop-le.xlsx"
    samples.sample_workbook(path, user)
    days = [timezone.localdate(), D(2025, 7, 1), D(2025, 12, 31), D(2026, 2, 28), D(2026, 9, 1)]
    before = {day: checks(org, day)["findings"] for day in days}
    dry = import_workbook(path, dry_run=True, actor=user)
    assert (dry.errors, dry.warnings) == ([], [])
    result = import_workbook(path, dry_run=False, actor=user)
    assert (result.errors, result.warnings) == ([], []) and result.written
    assert Organization.objects.get(code="MAU").kind == "grassroots_committee"
    assert {day: checks(org, day)["findings"] for day in days} == before
