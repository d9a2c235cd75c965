"""Headline indicators of a plan, loaded from a JSON file kept beside the task list."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from tasks_app.models import Indicator, IndicatorTarget, Plan, Unit


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


@transaction.atomic
def indicators_load(*, plan: Plan, path: Path) -> int:
    """Create or update the plan's indicators and their targets. Idempotent."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))["indicators"]
    units = {u.name: u for u in Unit.objects.filter(name__in=[e.get("responsible_unit") for e in entries])}
    for ordinal, entry in enumerate(entries, start=1):
        indicator, _ = Indicator.objects.update_or_create(
            plan=plan,
            code=entry["code"],
            defaults={
                "ordinal": ordinal,
                "name": entry["name"],
                "unit_of_measure": entry["unit_of_measure"],
                "baseline_value": _decimal(entry.get("baseline_value")),
                "baseline_note": entry.get("baseline_note", ""),
                "source_text": entry.get("source_text", ""),
                "responsible_unit": units.get(entry.get("responsible_unit")),
            },
        )
        for target in entry.get("targets", []):
            IndicatorTarget.objects.update_or_create(
                indicator=indicator,
                year=target["year"],
                defaults={
                    "value": _decimal(target.get("value")),
                    "growth_pct": _decimal(target.get("growth_pct")),
                    "increase": _decimal(target.get("increase")),
                    "text": target["text"],
                },
            )
    return len(entries)
