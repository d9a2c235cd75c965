"""Fixtures of the issue-7 tests: an autumn of reporting (see tests/support/autumn.py) seen from
28 November 2026, after November's deadline."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.support.autumn import file_autumn
from tests.support.reporting import at

TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def on_28_november():
    with time_machine.travel(at(TODAY, 9), tick=False):
        yield TODAY


@pytest.fixture
def clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def autumn(annex1):
    return file_autumn(annex1)
