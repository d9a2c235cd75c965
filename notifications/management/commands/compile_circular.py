import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.circulars.content import STATE_LABELS, circular_document
from notifications.circulars.files import render
from notifications.circulars.models import Circular, CircularKind
from notifications.circulars.pdf import print_html
from notifications.circulars.scope import Scope, parse_quarter
from notifications.circulars.services import (
    circular_compile,
    circular_request_compile,
    circular_schedule,
    circular_settings_for,
)
from tasks_app.models import Plan
from tasks_app.services.plans import default_plan


class Command(BaseCommand):
    help = (
        "汇总起草季度通报（--quarter 2026Q4）或年度总结（--year 2026）：冻结当时的报告数据，"
        "生成或刷新草稿（已签发的通报不受影响），可输出 HTML、DOCX 或 PDF 文件。"
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--quarter", help="季度，如 2026Q4")
        which.add_argument("--year", type=int, help="年度总结的年份，如 2026")
        parser.add_argument("--format", choices=["html", "docx", "pdf"], default="html", help="输出格式（默认 html）")
        parser.add_argument("-o", "--output", help="输出文件；不写则只汇总草稿")
        parser.add_argument("--plan", help="方案名称；默认当前方案")
        parser.add_argument("--today", help="按哪一天汇总（计算逾期），如 2027-01-12；默认今天")

    def handle(self, *args, quarter, year, format, output, plan, today, **options):
        plan_obj = self._plan(plan)
        try:
            if quarter:
                year_number, quarter_number = parse_quarter(quarter)
                scope = Scope(plan_obj, CircularKind.QUARTERLY, year_number, quarter_number)
            else:
                scope = Scope(plan_obj, CircularKind.ANNUAL, year, 0)
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        circular, created = circular_schedule(scope=scope, enqueue=False)
        if circular.is_issued:
            self.stdout.write(f"{scope.label}已签发（{circular.number}），不再汇总；如需更正，请在系统中生成更正稿。")
        else:
            if not created:
                circular_request_compile(circular=circular, user=None, enqueue=False)
            circular_compile(circular_id=circular.pk, today=day)
            circular.refresh_from_db()
            if circular.compile_state != Circular.CompileState.IDLE:
                raise CommandError(circular.compile_error or f"汇总未完成（{circular.get_compile_state_display()}）")
            self._summary(circular)
        if output:
            Path(output).write_bytes(self._render(circular, format))
            self.stdout.write(f"已写出 {format.upper()}：{output}")

    def _plan(self, name: str | None) -> Plan:
        plan = Plan.objects.filter(name=name).first() if name else default_plan()
        if plan is None:
            raise CommandError(
                f"找不到方案“{name}”。" if name else "尚未导入任务清单，请先运行 make run 或 import_tasklist。"
            )
        return plan

    def _summary(self, circular: Circular) -> None:
        data = circular.snapshot
        overall = data["overview"]["overall"]
        totals = data["discipline"]["totals"]
        taken = timezone.localtime(circular.snapshot_at)
        self.stdout.write(f"{circular.title}（草稿第{circular.version}版，快照 {taken:%Y-%m-%d %H:%M}）")
        states = "，".join(f"{STATE_LABELS[k]} {v}" for k, v in overall["states"].items())
        self.stdout.write(f"  举措 {overall['total']} 项：{states}")
        self.stdout.write(
            f"  报告 {totals['total']} 份：按时 {totals['on_time']}，逾期 {totals['late']}，"
            f"未报 {totals['missing']}，退回 {totals['returned']}"
        )
        named = data["discipline"]["named"]
        self.stdout.write(
            "  点名通报：" + ("；".join(f"{u['name']}（{'，'.join(u['reasons'])}）" for u in named) or "无")
        )

    def _render(self, circular: Circular, fmt: str) -> bytes:
        if fmt == "html":
            return print_html(circular_document(circular, circular_settings_for(circular.plan))).encode("utf-8")
        return render(circular, fmt)
