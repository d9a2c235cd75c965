import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks_app.models import Plan
from tasks_app.services.plans import default_plan
from tasks_app.tasklist.apply import current_tasklist
from tasks_app.tasklist.data import TaskList
from tasks_app.tasklist.export import write_flat_csv, write_flat_xlsx


class Command(BaseCommand):
    help = "按平铺模板导出当前任务清单（或某一历史版本），单位使用规范名称。"

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("-o", "--output", type=Path, help="输出文件；省略则写到标准输出（仅 CSV）")
        parser.add_argument("--plan", help="方案名称，默认为当前方案")
        parser.add_argument("--revision", type=int, help="导出某一历史版本（修订号）")
        parser.add_argument("--encoding", default="utf-8-sig", help="CSV 编码：utf-8-sig（默认）或 gb18030")

    def handle(self, *args, format: str, output: Path | None, plan: str | None, revision: int | None, encoding, **kw):
        target = Plan.objects.filter(name=plan).first() if plan else default_plan()
        if target is None:
            raise CommandError(f"没有找到方案：{plan or '（系统中还没有方案）'}")
        if revision is not None:
            row = target.revisions.filter(number=revision).first()
            if row is None:
                raise CommandError(f"“{target.name}”没有第 {revision} 版。")
            tasklist = TaskList.from_json(row.snapshot)
        else:
            tasklist = current_tasklist(target)
        data = write_flat_xlsx(tasklist) if format == "xlsx" else write_flat_csv(tasklist, encoding=encoding)
        if output is None:
            if format == "xlsx":
                raise CommandError("XLSX 需要用 -o 指定输出文件。")
            sys.stdout.buffer.write(data)
            return
        output.write_bytes(data)
        self.stderr.write(f"已导出 {tasklist.measure_count} 项举措到 {output}")
