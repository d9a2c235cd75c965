"""The count check after a load test: every report the client saw accepted is in the database exactly once.

"Exactly once" for a submit the server answered with success (302 back to the report) means: the report is
filed (submitted, or waiting for the unit head), its text carries the submit's token, one evidence row
carries the file's SHA-256, the file on disk has that checksum, and the report has one submit event.
And in reverse: nothing was written that the client did not see succeed (no submit event, no evidence
file the client was not told about) — a request that failed must have left nothing behind.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

FILED_OR_WAITING = ("submitted", "pending_approval", "accepted")
SUBMIT_ACTIONS = ("submit", "send_for_approval")


@dataclass
class CountCheck:
    accepted: int = 0  # submits the client saw succeed
    failed: int = 0  # submits answered with an error
    found: int = 0  # accepted submits found exactly once, complete
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.found == self.accepted and not (self.lost or self.duplicated or self.unexpected)

    def summary(self) -> str:
        verdict = "通过" if self.passed else "未通过"
        return (
            f"计数核对{verdict}：客户端确认提交 {self.accepted} 份，数据库中完整且仅一次 {self.found} 份；"
            f"丢失 {len(self.lost)}，重复 {len(self.duplicated)}，多出 {len(self.unexpected)}；"
            f"提交失败 {self.failed} 份"
        )

    def problems(self, limit: int = 10) -> list[str]:
        return (self.lost + self.duplicated + self.unexpected)[:limit]


def count_check(submits: list[dict], *, since) -> CountCheck:
    """``submits`` as the locustfile recorded them; ``since``: when the load started (aware datetime)."""
    from tasks_app.models import Evidence, Report, ReportEvent

    result = CountCheck()
    accepted = [s for s in submits if s["outcome"] == "ok"]
    result.accepted = len(accepted)
    result.failed = len(submits) - len(accepted)
    reports = Report.objects.in_bulk([s["report"] for s in submits])
    evidence = list(
        Evidence.objects.filter(sha256__in=[s["sha256"] for s in submits]).values("pk", "report_id", "sha256", "file")
    )
    by_checksum: dict[str, list[dict]] = {}
    for row in evidence:
        by_checksum.setdefault(row["sha256"], []).append(row)
    events = Counter(
        ReportEvent.objects.filter(created_at__gte=since, action__in=SUBMIT_ACTIONS).values_list("report_id", flat=True)
    )
    for submit in accepted:
        report = reports.get(submit["report"])
        where = f"报告 {submit['report']}（压测编号 {submit['token']}）"
        rows = by_checksum.get(submit["sha256"], [])
        if report is None or report.state not in FILED_OR_WAITING or submit["token"] not in report.progress:
            result.lost.append(f"{where}：报告未处于已提交状态或内容不是本次提交的")
        elif len(rows) != 1 or rows[0]["report_id"] != report.pk:
            (result.duplicated if len(rows) > 1 else result.lost).append(f"{where}：佐证材料记录 {len(rows)} 条")
        elif not _file_matches(rows[0]["file"], submit["sha256"]):
            result.lost.append(f"{where}：佐证文件缺失或内容不符")
        elif events[report.pk] != 1:
            (result.duplicated if events[report.pk] > 1 else result.lost).append(
                f"{where}：提交记录 {events[report.pk]} 条"
            )
        else:
            result.found += 1
    accepted_reports = {s["report"] for s in accepted}
    for report_id in set(events) - accepted_reports:
        result.unexpected.append(f"报告 {report_id}：数据库中有提交记录，客户端却未收到成功应答")
    for submit in submits:
        if submit["outcome"] != "ok" and submit["sha256"] in by_checksum:
            result.unexpected.append(f"报告 {submit['report']}：提交失败（{submit['outcome']}），佐证材料却已保存")
    return result


def _file_matches(name: str, sha256: str) -> bool:
    from django.core.files.storage import default_storage

    try:
        with default_storage.open(name, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == sha256
    except FileNotFoundError:
        return False
