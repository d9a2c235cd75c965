import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.cadence_run import cadence_run
from notifications.delivery import deliveries_send, pending_ids
from notifications.models import InboxMessage


class Command(BaseCommand):
    help = "按某一天执行报送节奏的全部任务（开启周期、截止汇总、提醒、催办、督办单），如同那天到来。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="日期，如 2026-12-01；默认今天")
        parser.add_argument("--no-send", action="store_true", help="只生成待发通知，不发送邮件和机器人消息")

    def handle(self, *args, today: str | None, no_send: bool, **options):
        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{exc}") from exc
        inbox_before = InboxMessage.objects.count()
        result = cadence_run(today=day)
        new_messages = InboxMessage.objects.count() - inbox_before
        sent = {"sent": 0, "failed": 0, "skipped": 0} if no_send else deliveries_send(pending_ids())
        weekday = "一二三四五六日"[day.weekday()]
        self.stdout.write(f"{day:%Y-%m-%d}（周{weekday}）：")
        if result.warning:
            self.stdout.write(self.style.WARNING(f"  {result.warning}"))
        if result.opened:
            self.stdout.write(f"  开启周期：{'、'.join(result.opened)}（新增待填报 {result.requests_created} 份）")
        if result.collected:
            self.stdout.write(f"  截止汇总：{len(result.collected)} 个周期")
        if result.circulars:
            self.stdout.write(f"  起草通报：{'、'.join(result.circulars)}（督查室可在“通报”中修改、签发）")
        if result.steps:
            self.stdout.write(f"  提醒/催办：{result.steps} 个梯次，{result.unit_batches} 批单位")
        self.stdout.write(
            f"  站内消息：新增 {new_messages} 条；邮件与群机器人：成功 {sent['sent']}，失败 {sent['failed']}"
        )
