"""A third quarter of 2026 on the demo data: two units late in August, one silent all quarter."""

from __future__ import annotations

import pytest

LATE = ("市工信局", "海拉尔区")
SILENT = ("市科技局",)


@pytest.fixture
def demo(annex1):
    from tasks_app.services.accounts import demo_accounts_ensure

    demo_accounts_ensure()
    return annex1


@pytest.fixture
def third_quarter(demo):
    """The quarter run day by day to the morning its circular is drafted; returns the draft."""
    from notifications.models import Circular
    from tests.support.quarter import run_quarter

    days = run_quarter(late=LATE, silent=SILENT)
    return Circular.objects.get(year=2026, quarter=3, status="draft"), days
