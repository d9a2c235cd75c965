import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tasks_app.models import Cadence, Plan
from tasks_app.services.periods import period_open
from tasks_app.services.plans import default_plan


class Command(BaseCommand):
    help = "按报送节奏开启一个周期，为每项举措 × 每个责任单位生成待填报的报告。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--cadence", default="monthly", help="报送节奏代码，如 monthly、quarterly、annual")
        parser.add_argument("--date", required=True, help="周期内的任一天，如 2026-11-01")
        parser.add_argument("--due", help="截止日，如 2026-11-25；省略则按节奏的截止规则和工作日计算")
        parser.add_argument("--plan", help="方案名称，默认为当前方案")

    def handle(self, *args, cadence, date, due, plan, **options):
        target = Plan.objects.filter(name=plan).first() if plan else default_plan()
        if target is None:
            raise CommandError("没有找到方案。")
        rhythm = Cadence.objects.filter(plan=target, code=cadence).first()
        if rhythm is None:
            codes = "、".join(target.cadences.values_list("code", flat=True)) or "（无）"
            raise CommandError(f"方案中没有代码为“{cadence}”的报送节奏。可用：{codes}")
        try:
            day = dt.date.fromisoformat(date)
            due_date = dt.date.fromisoformat(due) if due else None
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{exc}") from exc
        opened = period_open(cadence=rhythm, day=day, due_date=due_date)
        verb = "已开启" if opened.created else "已存在"
        period = opened.period
        self.stdout.write(
            f"{period.label}{verb}（截止 {period.due_date:%Y-%m-%d}），新增待填报报告 {opened.requests_created} 份。"
        )
