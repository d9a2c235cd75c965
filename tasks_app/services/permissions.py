"""Who may see and file what: object permissions that follow the plan.

Every unit has a Group; its users are its members. For every measure of the
current list, the groups of its responsible units hold ``view_measure`` and
``report_measure`` on it, and lead units also ``lead_measure`` (see supporting
units' reports, file the consolidated one). A collective (各旗市区) passes its
rights to the units it stands for. Rights are recomputed from the plan after
every revision, so moving a measure to another lead unit moves the rights.
Unit groups never get model-level permissions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from tasks_app.models import (
    CollectiveDesignation,
    Measure,
    MeasureGroupObjectPermission,
    MeasureUnit,
    Plan,
    Unit,
    User,
)

VIEW, REPORT, LEAD = "view_measure", "report_measure", "lead_measure"
UNIT_GROUP_PREFIX = "单位："


@dataclass(frozen=True)
class Responsibility:
    """A unit responsible for a measure, directly or through a collective (``via``)."""

    measure_id: int
    unit_id: int
    role: str
    via_id: int | None = None


def unit_group_ensure(unit: Unit) -> Group:
    if unit.group_id:
        return unit.group
    group, _ = Group.objects.get_or_create(name=f"{UNIT_GROUP_PREFIX}{unit.name}")
    unit.group = group
    unit.save(update_fields=["group"])
    return group


@transaction.atomic
def user_unit_membership_sync(*, user: User) -> None:
    """Put the user in their unit's group and in no other unit group."""
    wanted = unit_group_ensure(user.unit) if user.unit_id else None
    stale = user.groups.filter(unit__isnull=False)
    if wanted is not None:
        stale = stale.exclude(pk=wanted.pk)
        user.groups.add(wanted)
    user.groups.remove(*stale)


def responsibilities(measures) -> list[Responsibility]:
    """Who reports on each of ``measures``: lead and supporting units, collectives expanded.

    A unit written both as lead and (through a collective) as supporter counts once, as lead.
    Queries: unit links, collective members, designations (three, for any number of measures).
    """
    measure_ids = [m.pk if isinstance(m, Measure) else m for m in measures]
    links = list(
        MeasureUnit.objects.filter(measure_id__in=measure_ids)
        .select_related("unit")
        .order_by("measure_id", "role", "order")
    )
    collective_ids = {link.unit_id for link in links if link.unit.is_collective}
    members: dict[int, list[int]] = defaultdict(list)
    for through in Unit.members.through.objects.filter(from_unit_id__in=collective_ids):
        members[through.from_unit_id].append(through.to_unit_id)
    designated: dict[tuple[int, int], list[int]] = {}
    for designation in CollectiveDesignation.objects.filter(measure_id__in=measure_ids).prefetch_related("members"):
        designated[(designation.measure_id, designation.collective_id)] = [u.pk for u in designation.members.all()]

    found: dict[tuple[int, int], Responsibility] = {}
    for link in links:
        if link.unit.is_collective:
            units = designated.get((link.measure_id, link.unit_id), members.get(link.unit_id, []))
            via = link.unit_id
        else:
            units, via = [link.unit_id], None
        for unit_id in units:
            key = (link.measure_id, unit_id)
            current = found.get(key)
            if current is None or (current.role != MeasureUnit.Role.LEAD and link.role == MeasureUnit.Role.LEAD):
                found[key] = Responsibility(link.measure_id, unit_id, link.role, via)
    return list(found.values())


def _permissions() -> dict[str, Permission]:
    content_type = ContentType.objects.get_for_model(Measure)
    return {
        p.codename: p for p in Permission.objects.filter(content_type=content_type, codename__in=[VIEW, REPORT, LEAD])
    }


@transaction.atomic
def measure_permissions_sync(*, plan: Plan | None = None) -> dict[str, int]:
    """Make unit groups' measure permissions match the current list. Returns what changed.

    Archived measures keep the rights they had, so their reports stay readable.
    """
    measures = Measure.objects.current().filter(task__archived_in__isnull=True)
    if plan is not None:
        measures = measures.filter(task__plan=plan)
    measure_ids = list(measures.values_list("pk", flat=True))
    perms = _permissions()
    wanted_units = responsibilities(measure_ids)
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r.unit_id for r in wanted_units})}
    groups = {unit_id: unit_group_ensure(unit).pk for unit_id, unit in units.items()}

    wanted: set[tuple[int, int, int]] = set()
    for resp in wanted_units:
        group_id = groups[resp.unit_id]
        codenames = [VIEW, REPORT] + ([LEAD] if resp.role == MeasureUnit.Role.LEAD else [])
        wanted |= {(group_id, perms[c].pk, resp.measure_id) for c in codenames}

    existing = {
        (row.group_id, row.permission_id, row.content_object_id): row.pk
        for row in MeasureGroupObjectPermission.objects.filter(
            content_object_id__in=measure_ids, group__unit__isnull=False
        )
    }
    to_delete = [pk for key, pk in existing.items() if key not in wanted]
    to_create = [
        MeasureGroupObjectPermission(group_id=g, permission_id=p, content_object_id=m)
        for g, p, m in wanted - existing.keys()
    ]
    MeasureGroupObjectPermission.objects.filter(pk__in=to_delete).delete()
    MeasureGroupObjectPermission.objects.bulk_create(to_create, batch_size=2000)
    return {"granted": len(to_create), "revoked": len(to_delete)}
