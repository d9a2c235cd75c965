import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tasks_app.models import PeriodKind, Plan
from tasks_app.services.periods import period_open
from tasks_app.services.plans import default_plan


class Command(BaseCommand):
    help = "开启一个报送周期，为当前清单的每项举措 × 每个责任单位生成待填报的报告。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=PeriodKind.values, default=PeriodKind.MONTH)
        parser.add_argument("--date", required=True, help="周期内的任一天，如 2026-11-01")
        parser.add_argument("--due", required=True, help="报送截止日，如 2026-11-25")
        parser.add_argument("--plan", help="方案名称，默认为当前方案")

    def handle(self, *args, kind, date, due, plan, **options):
        target = Plan.objects.filter(name=plan).first() if plan else default_plan()
        if target is None:
            raise CommandError("没有找到方案。")
        try:
            day, due_date = dt.date.fromisoformat(date), dt.date.fromisoformat(due)
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{exc}") from exc
        opened = period_open(plan=target, kind=kind, day=day, due_date=due_date)
        verb = "已开启" if opened.created else "已存在"
        self.stdout.write(f"{opened.period.label}{verb}，新增待填报报告 {opened.requests_created} 份。")
