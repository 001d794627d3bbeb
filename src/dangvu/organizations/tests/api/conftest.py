"""Fixtures of the organizations API tests: organizers of the district and of one commune, and a fast
password hasher (HTTP Basic checks the password on every request)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """HTTP Basic checks the password on every request; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district(tree, make_user):
    """An organizer of the whole district H01."""
    return make_user("bantc.huyen", tree["H01"], "organizer")


@pytest.fixture
def commune(tree, make_user):
    """An organizer of commune X01 only."""
    return make_user("bantc.xa", tree["X01"], "organizer")
