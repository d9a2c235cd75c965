"""Who is told when a circular is issued, and how.

Everyone it concerns — the reporters and heads of every unit responsible for a measure of the
current list (a collective's members included), the leaders and the office — gets it in the inbox and
by e-mail where they chose e-mail. A unit the circular names gets a second, stronger message: to its
head as well, and in its group chat (企业微信/钉钉 robot). Keys make each message go out once.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from notifications.circulars.document import chinese_date
from notifications.circulars.models import Circular
from notifications.delivery import Message
from notifications.notify import notify, unit_robots, unit_users, with_channels
from tasks_app.models import Measure, Role, Unit, User


def responsible_unit_ids(circular: Circular) -> list[int]:
    current = Measure.objects.filter(
        task__plan=circular.plan, archived_in__isnull=True, task__archived_in__isnull=True
    ).values("pk")
    units = Unit.objects.filter(
        Q(measure_links__measure__in=current) | Q(collectives__measure_links__measure__in=current)
    )
    return sorted(set(units.values_list("pk", flat=True)))


def circular_notify(*, circular: Circular) -> int:
    """Write the notices of an issued circular to the outbox. Returns deliveries waiting for a worker."""
    url = reverse("circular-detail", args=[circular.pk])
    what = "总结" if circular.kind == "annual" else "通报"
    readers = with_channels(
        User.objects.filter(
            Q(unit_id__in=responsible_unit_ids(circular), role__in=(Role.REPORTER, Role.UNIT_HEAD))
            | Q(role__in=(Role.LEADER, Role.OFFICE))
        )
    )
    waiting = notify(
        key=f"circular:{circular.pk}:issued",
        message=Message(
            subject=f"【{what}】{circular.number} {circular.title}",
            body=f"{chinese_date(circular.issued_on)}印发，请登录系统查阅，可下载 Word 和 PDF 文件。",
            url=url,
        ),
        users=readers,
    )
    for named in circular.snapshot["discipline"]["named"]:
        waiting += notify(
            key=f"circular:{circular.pk}:named:u{named['unit_id']}",
            message=Message(
                subject=f"【点名通报】{named['name']}在{circular.number}中被点名",
                body=f"原因：{'，'.join(named['reasons'])}。请于5个工作日内向督查室书面说明原因并提出整改措施。",
                url=url,
            ),
            users=unit_users([named["unit_id"]], (Role.REPORTER, Role.UNIT_HEAD)),
            robots=unit_robots([named["unit_id"]]),
        )
    return waiting
