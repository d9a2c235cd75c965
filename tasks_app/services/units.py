"""The unit directory: loading it from a file, adding aliases."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from tasks_app.models import Unit, UnitAlias, UnitKind


@transaction.atomic
def unit_directory_load(*, path: Path) -> dict[str, int]:
    """Create or update units, aliases and collective members from a JSON file.

    Idempotent: loading the same file twice changes nothing. Units not in the
    file are left alone (an import may have created them).
    """
    entries = json.loads(Path(path).read_text(encoding="utf-8"))["units"]
    kinds = set(UnitKind.values)
    counts = {"created": 0, "updated": 0, "aliases": 0}
    units: dict[str, Unit] = {}
    for order, entry in enumerate(entries, start=1):
        if entry["kind"] not in kinds:
            raise ValidationError(f"{path}：单位“{entry['name']}”的类别“{entry['kind']}”无效。")
        defaults = {"kind": entry["kind"], "sort_order": entry.get("sort", order), "note": entry.get("note", "")}
        unit, created = Unit.objects.get_or_create(name=entry["name"], defaults=defaults)
        if not created and any(getattr(unit, k) != v for k, v in defaults.items()):
            for key, value in defaults.items():
                setattr(unit, key, value)
            unit.save(update_fields=list(defaults))
            counts["updated"] += 1
        counts["created"] += created
        units[unit.name] = unit
        for alias in entry.get("aliases", []):
            counts["aliases"] += unit_alias_add(unit=unit, name=alias)
    for entry in entries:
        members = entry.get("members")
        if members:
            unknown = [name for name in members if name not in units]
            if unknown:
                raise ValidationError(f"{path}：“{entry['name']}”的成员不在目录中：{'、'.join(unknown)}。")
            units[entry["name"]].members.set([units[name] for name in members])
    return counts


def unit_alias_add(*, unit: Unit, name: str) -> bool:
    """Record another way of writing ``unit``. Returns True if the alias is new."""
    clash = Unit.objects.filter(name=name).exclude(pk=unit.pk).first()
    if clash is not None:
        raise ValidationError(f"别名“{name}”已是单位“{clash.name}”的规范名称。")
    alias, created = UnitAlias.objects.get_or_create(name=name, defaults={"unit": unit})
    if alias.unit_id != unit.pk:
        raise ValidationError(f"别名“{name}”已属于单位“{alias.unit.name}”。")
    return created
