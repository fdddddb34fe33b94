"""Fixtures for the API tests (helpers live in api_helpers.py)."""

import pytest

from api_helpers import SMALL_LIMITS, make_client


@pytest.fixture
def client():
    """A fresh app with the default limits and its own session store."""
    return make_client()


@pytest.fixture
def small_client():
    """A fresh app with small limits (see api_helpers.SMALL_LIMITS)."""
    return make_client(**SMALL_LIMITS)
