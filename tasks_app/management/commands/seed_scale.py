from django.core.management.base import BaseCommand

from bench.synthetic import seed_scale


class Command(BaseCommand):
    help = "生成省级规模的合成数据（用于基准测试）：单位、任务清单及（如指定）逐月报告。"

    def add_arguments(self, parser):
        parser.add_argument("--measures", type=int, default=5000)
        parser.add_argument("--units", type=int, default=300)
        parser.add_argument("--months", type=int, default=0, help="生成截至本月的若干个月度报送周期及报告")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, measures: int, units: int, months: int, seed: int, **options):
        result = seed_scale(measures=measures, units=units, months=months, seed=seed)
        counts = f"{result.units} 个单位，{result.measures} 项举措，{result.reports} 份报告"
        self.stdout.write(f"合成数据：{counts}（方案“{result.plan.name}”）。")
