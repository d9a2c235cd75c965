from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from tasks_app.services.units import unit_directory_load


class Command(BaseCommand):
    help = "从 JSON 文件载入单位目录（规范名称、类别、别名、集合成员）。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, nargs="?", default=settings.UNIT_DIRECTORY_FIXTURE)

    def handle(self, *args, file: Path, **options):
        counts = unit_directory_load(path=file)
        self.stdout.write(
            f"单位目录：新建 {counts['created']}，更新 {counts['updated']}，新增别名 {counts['aliases']}。"
        )
