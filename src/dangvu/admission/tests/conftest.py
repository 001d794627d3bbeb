"""Fixtures of the admission tests."""

import datetime as dt

import pytest

D = dt.date


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def introducers(tree, make_member):
    """Two official members of C01 since 2016."""
    return [make_member(tree["C01"], name="Lò Văn Một", made_official_on=D(2016, 5, 19)),
            make_member(tree["C01"], name="Lò Văn Hai", made_official_on=D(2016, 5, 19))]
