from django.core.management.base import BaseCommand

from bench.synthetic import seed_scale


class Command(BaseCommand):
    help = "生成省级规模的合成数据（用于基准测试）：单位、任务清单及（如指定）逐月报告。"

    def add_arguments(self, parser):
        parser.add_argument("--measures", type=int, default=5000)
        parser.add_argument("--units", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, measures: int, units: int, seed: int, **options):
        result = seed_scale(measures=measures, units=units, seed=seed)
        self.stdout.write(f"合成数据：{result.units} 个单位，{result.measures} 项举措（方案“{result.plan.name}”）。")
