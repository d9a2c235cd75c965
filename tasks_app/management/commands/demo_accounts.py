import json

from django.core.management.base import BaseCommand

from tasks_app.services.accounts import demo_accounts_ensure, demo_password


class Command(BaseCommand):
    help = "创建演示账号（每个角色一个，另有几个单位的填报员），并列出。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options):
        results = demo_accounts_ensure()
        rows = [
            {
                "username": account.username,
                "password": demo_password() if created else "（已存在，密码未改）",
                "role": account.role_label,
                "unit": account.unit or "",
                "name": account.name,
            }
            for account, created in results
        ]
        if options["json"]:
            self.stdout.write(_dumps(rows))
            return
        self.stdout.write("演示账号（密码可用环境变量 DEMO_PASSWORD 设定）：")
        for row in rows:
            self.stdout.write(f"  {row['username']:<14} {row['password']:<12} {row['role']:<6} {row['unit'] or '—'}")


def _dumps(rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)
