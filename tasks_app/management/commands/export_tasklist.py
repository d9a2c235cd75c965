import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks_app.models import Plan
from tasks_app.services.plans import default_plan, tasklist_export


class Command(BaseCommand):
    help = "导出当前任务清单（或某一历史版本）：附件原表格式或平铺模板的 XLSX，或 CSV。"

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument(
            "--layout",
            choices=["flat", "distributed"],
            default="flat",
            help="XLSX 的版式：flat 平铺模板（默认），distributed 附件原表（合并标题、A4 横向，可直接打印）",
        )
        parser.add_argument("-o", "--output", type=Path, help="输出文件；省略则写到标准输出（仅 CSV）")
        parser.add_argument("--plan", help="方案名称，默认为当前方案")
        parser.add_argument("--revision", type=int, help="导出某一历史版本（修订号）")
        parser.add_argument("--encoding", default="utf-8-sig", help="CSV 编码：utf-8-sig（默认）或 gb18030")

    def handle(self, *args, format: str, layout: str, output: Path | None, plan: str | None, revision, encoding, **kw):
        target = Plan.objects.filter(name=plan).first() if plan else default_plan()
        if target is None:
            raise CommandError(f"没有找到方案：{plan or '（系统中还没有方案）'}")
        row = None
        if revision is not None:
            row = target.revisions.filter(number=revision).first()
            if row is None:
                raise CommandError(f"“{target.name}”没有第 {revision} 版。")
        if format == "xlsx" and output is None:
            raise CommandError("XLSX 需要用 -o 指定输出文件。")
        fmt = "csv" if format == "csv" else layout
        _, _, data = tasklist_export(plan=target, revision=row, fmt=fmt, encoding=encoding)
        if output is None:
            sys.stdout.buffer.write(data)
            return
        output.write_bytes(data)
        self.stderr.write(f"已导出到 {output}")
