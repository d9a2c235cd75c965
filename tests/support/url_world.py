"""The world the URL matrix walks: one object of each kind, all belonging to 市能源局.

Every object is on a measure 市能源局 leads and 市工信局 has no part in (tasks 2, 6, 7 and 8 of
附件1), so 市工信局's reporter must get a 404 wherever an id names one of them. Seen from
28 November 2026: November (due 25 November) is the current period, October is filed.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.reporting import file_report, lead_report, open_month

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Tasks of 附件1 that 市能源局 leads and 市工信局 neither leads nor supports.
ENERGY_ONLY_TASKS = ("2", "6", "7", "8")


@dataclass
class World:
    plan: object
    october: object
    november: object
    energy: object  # 市能源局
    report: object  # task 6, filed by 市能源局: readable, reviewable, may get a public summary
    pending: object  # task 7, waiting for 市能源局's head to approve
    draft: object  # task 8, a draft with one evidence file
    carried: object  # task 2, open in November, filed in October: 沿用上期 submits it
    evidence: object
    notice: object  # 督办单 to 市能源局
    robot: object  # 市能源局's group robot (set up by its head)
    email: object  # 张填报's own e-mail endpoint
    message: object  # an unread message in 张填报's inbox
    indicator: object  # 电力装机规模, filed quarterly by 市能源局
    metric: object  # task 6's quantitative target 储能规模
    revision: object  # revision 1 of 附件1, its source file in storage
    circular_draft: object  # the fourth quarter's circular, compiled, not issued: the office's
    circular_issued: object  # the third quarter's, issued: every user reads it (no report was due then)

    # What only 市能源局's people (and the office, leaders, admins) may read: none of it may
    # appear on any page 市工信局's reporter opens.
    SECRETS = (
        "十月：煤矿接续项目前期。",
        "十一月：储能电站备案。",
        "用地预审未通过",
        "待负责人审核。",
        "电源布点调研。",
        "布点调研.pdf",
        "督办〔2026〕1号",
        "zhang@nengyuan.gov.cn",
        "webhook/send?key=nengyuan",
        "催办：任务7",
    )


def build_world(plan, energy_reporter, industry_reporter) -> World:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    from notifications.circulars.services import circular_issue
    from notifications.models import ChannelKind, Endpoint, InboxMessage, SupervisionNotice
    from notifications.schedule import beat_schedule_ensure
    from tasks_app.access import measures_for
    from tasks_app.models import Evidence, Indicator, Report, ReportState, TargetMetric
    from tasks_app.services.reports import ReportInput, report_save
    from tasks_app.uploads import check_upload

    october = open_month(plan, 10, due_day=26)
    november = open_month(plan, 11, due_day=25)
    energy = energy_reporter.unit
    hidden = measures_for(industry_reporter).filter(task__number__in=ENERGY_ONLY_TASKS)
    assert not hidden.exists(), "世界的前提：市工信局不参与任务 2、6、7、8"

    file_report(lead_report(october, "2"), progress="十月：煤矿接续项目前期。")
    report = file_report(
        lead_report(november, "6"), status="behind", progress="十一月：储能电站备案。", problems="用地预审未通过"
    )
    pending = lead_report(november, "7")
    Report.objects.filter(pk=pending.pk).update(state=ReportState.PENDING_APPROVAL, progress="待负责人审核。")
    draft = report_save(
        report=lead_report(november, "8"),
        user=energy_reporter,
        data=ReportInput(progress_status="on_track", progress="电源布点调研。"),
        version=0,
        uploads=[check_upload("布点调研.pdf", PDF)],
    )
    notice = SupervisionNotice.objects.create(
        number="督办〔2026〕1号",
        year=2026,
        sequence=1,
        period=november,
        unit=energy,
        issued_on=november.due_date,
        deadline=november.due_date,
    )
    notice.reports.add(pending)
    revision = plan.latest_revision
    if revision.source_file and not default_storage.exists(revision.source_file.name):
        # Each test has its own MEDIA_ROOT: put the file back where the revision says it is.
        default_storage.save(revision.source_file.name, ContentFile(b"PK\x03\x04 source"))
    circular_issued = circular_issue(
        circular=compile_circular(plan, 3), user=office_user(), issued_on=november.due_date
    )
    # /healthz says 200 only while beat ticks: the sweeper ran a moment ago.
    beat_schedule_ensure()
    PeriodicTask.objects.filter(task="notifications.sweep_outbox").update(last_run_at=timezone.now())
    return World(
        plan=plan,
        october=october,
        november=november,
        energy=energy,
        report=report,
        pending=pending,
        draft=draft,
        carried=lead_report(november, "2"),
        evidence=Evidence.objects.get(report=draft),
        notice=notice,
        robot=Endpoint.objects.create(
            kind=ChannelKind.WECOM, unit=energy, address="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=nengyuan"
        ),
        email=Endpoint.objects.create(kind=ChannelKind.EMAIL, user=energy_reporter, address="zhang@nengyuan.gov.cn"),
        message=InboxMessage.objects.create(recipient=energy_reporter, subject="催办：任务7", key="matrix-1"),
        indicator=Indicator.objects.get(plan=plan, name="电力装机规模"),
        metric=TargetMetric.objects.get(measure=report.measure, name="储能规模"),
        revision=revision,
        circular_draft=compile_circular(plan, 4),
        circular_issued=circular_issued,
    )


def compile_circular(plan, quarter: int):
    from notifications.circulars.scope import Scope
    from notifications.circulars.services import circular_compile, circular_schedule

    circular, _ = circular_schedule(scope=Scope(plan, "quarterly", 2026, quarter), enqueue=False)
    circular_compile(circular_id=circular.pk)
    circular.refresh_from_db()
    return circular


def office_user():
    from tasks_app.models import User

    return User.objects.filter(role="office").first()
