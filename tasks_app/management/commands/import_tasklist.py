from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks_app.services.plans import NoPlanError, plan_for_import, tasklist_import, tasklist_preview
from tasks_app.tasklist.problems import TaskListError


class ProgressPrinter:
    """Prints reading progress every tenth of the file, and each later stage once."""

    def __init__(self, out):
        self.out = out
        self.shown: set = set()

    def __call__(self, stage: str, done: int, total: int) -> None:
        key = (stage, done * 10 // total) if total else stage
        if key in self.shown:
            return
        self.shown.add(key)
        self.out.write(f"{stage}：{done}/{total} 行" if total else f"{stage}…")


class Command(BaseCommand):
    help = "导入任务清单文件（XLSX/DOCX/CSV，平铺模板或附件原表，自动识别）。有任何错误则不写入。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示变化，不写入")
        parser.add_argument("--create-units", action="store_true", help="自动新建未知单位（标记为待审核）")
        parser.add_argument("--plan", help="方案名称；不存在则新建。默认为当前方案")
        parser.add_argument("--note", default="", help="修订说明")
        parser.add_argument("--quiet", action="store_true", help="不显示进度")

    def handle(
        self, *args, file: Path, dry_run: bool, create_units: bool, plan: str | None, note: str, quiet: bool, **options
    ):
        progress = None if quiet else ProgressPrinter(self.stderr)
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        data = file.read_bytes()
        try:
            target = plan_for_import(plan)
        except NoPlanError as exc:
            raise CommandError(str(exc)) from exc
        if dry_run:
            preview = tasklist_preview(
                plan=target, file_name=file.name, data=data, create_units=create_units, progress=progress
            )
            self._report_problems(preview.read.problems)
            if not preview.ok:
                raise CommandError(f"{len(preview.read.errors)} 处错误，未写入任何内容。")
            self.stdout.write(
                f"试导入（未写入）：{preview.read.tasklist.measure_count} 项举措。{preview.diff.summary()}"
            )
            return
        try:
            revision, preview = tasklist_import(
                plan=target, file_name=file.name, data=data, note=note, create_units=create_units, progress=progress
            )
        except TaskListError as exc:
            self._report_problems(exc.problems)
            raise CommandError(f"{len([p for p in exc.problems if p.is_error])} 处错误，未写入任何内容。") from exc
        self._report_problems(preview.read.warnings)
        if revision is None:
            self.stdout.write(f"“{target.name}”：与当前清单完全一致，没有任何变化，未生成新版本。")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"已导入为“{target.name}”第 {revision.number} 版：{preview.diff.summary()}")
            )

    def _report_problems(self, problems):
        for problem in problems:
            self.stderr.write(str(problem))
