"""Fixtures of the lifecycle tests: the district's organizer, a chi bộ cơ sở older than any date here."""

import pytest


@pytest.fixture
def organizer(tree, make_user):
    return make_user("bantochuc", tree["H01"], role="organizer")


@pytest.fixture
def old_cell(tree):
    """A chi bộ cơ sở that has existed since before any date here (members admitted in the 1990s)."""
    from dangvu.organizations.models import OrganizationKind as K
    from dangvu.organizations.services import organization_establish

    return organization_establish(code="C00", name="Chi bộ Trạm y tế", kind=K.GRASSROOTS_CELL, parent=tree["H01"])
