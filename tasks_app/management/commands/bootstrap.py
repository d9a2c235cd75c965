from django.core.management import call_command
from django.core.management.base import BaseCommand

from tasks_app.services.bootstrap import annex1_load


class Command(BaseCommand):
    help = "首次运行的准备：单位目录、附件1任务清单、主要指标、演示账号。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="不创建演示账号")

    def handle(self, *args, no_demo: bool = False, **options):
        loaded = annex1_load()
        units = loaded.units
        self.stdout.write(f"单位目录：新建 {units['created']}，更新 {units['updated']}，新增别名 {units['aliases']}。")
        if loaded.revision is None:
            self.stdout.write(f"“{loaded.plan.name}”：与附件1一致，无需导入。")
        else:
            self.stdout.write(f"已导入“{loaded.plan.name}”第 {loaded.revision.number} 版。")
        self.stdout.write(f"主要指标：{loaded.indicators} 项。")
        if not no_demo:
            call_command("demo_accounts", stdout=self.stdout)
