"""A circular's files: DOCX, PDF and (annual summary) the XLSX score sheet.

A draft's files are rendered on each download. An issued circular's are rendered once and kept
(``CircularFile``): every download of 呼督通〔2026〕3号 is the same bytes. The render job after issuing
stores them; a download that comes first (the broker was down) renders and stores them itself.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction

from notifications.circulars.content import circular_document
from notifications.circulars.models import Circular, CircularFile, CircularKind
from notifications.circulars.services import circular_settings_for
from tasks_app.insights.exports import Table, percent, xlsx_bytes

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def formats_of(circular: Circular) -> list[str]:
    return ["docx", "pdf", "xlsx"] if circular.kind == CircularKind.ANNUAL else ["docx", "pdf"]


def scores_xlsx(circular: Circular) -> bytes:
    """年度绩效考核 score sheet: one row per unit, and the rule on a second sheet."""
    snapshot = circular.snapshot
    weights = snapshot["score_weights"]
    by_unit = {u["unit_id"]: u for u in snapshot["discipline"]["units"]}
    rows = []
    for n, score in enumerate(snapshot["scores"], 1):
        unit = by_unit[score["unit_id"]]
        rows.append(
            [
                n,
                score["name"],
                unit["total"],
                unit["on_time"],
                unit["late"],
                unit["missing"],
                unit["returned"],
                percent(score["on_time_rate"]),
                percent(None if score["returned_rate"] is None else 1 - score["returned_rate"]),
                score["led_measures"],
                percent(score["targets_rate"]),
                "—" if score["score"] is None else score["score"],
                "是" if unit["named"] else "",
            ]
        )
    note = f"{circular.title} {circular.number or '（草稿）'} · 数据截至{snapshot['scope']['end']}"
    sheet = Table(
        "考核评分",
        [
            "序号",
            "单位",
            "应报",
            "按时",
            "逾期",
            "未报送",
            "被退回",
            "按时报送率",
            "一次通过率",
            "牵头举措数",
            "牵头举措完成或正常推进率",
            "得分",
            "曾被点名",
        ],
        rows,
        widths=[6, 26, 8, 8, 8, 8, 8, 12, 12, 10, 16, 8, 10],
        note=note,
    )
    rule = Table(
        "评分规则",
        ["项目", "权重（%）", "口径"],
        [
            ["按时报送率", weights["on_time"], "按时报送的报告数 ÷ 已到截止日的应报报告数（以首次提交时间计）"],
            ["一次通过率", weights["not_returned"], "1 − 被退回过的报告数 ÷ 已报送的报告数"],
            ["牵头举措完成或正常推进率", weights["targets"], "年末牵头举措中已完成或正常推进的比例"],
            ["得分", 100, "各项比率按权重加权；某项无数据（如不牵头任何举措）时，按其余各项权重折算"],
        ],
        widths=[26, 10, 80],
    )
    return xlsx_bytes([sheet, rule])


def render(circular: Circular, fmt: str) -> bytes:
    if fmt == "xlsx":
        if circular.kind != CircularKind.ANNUAL:
            raise ValueError("只有年度总结有考核评分表。")
        return scores_xlsx(circular)
    document = circular_document(circular, circular_settings_for(circular.plan))
    if fmt == "docx":
        from notifications.circulars.docx import render_docx

        return render_docx(document)
    if fmt == "pdf":
        from notifications.circulars.pdf import render_pdf

        return render_pdf(document)
    raise ValueError(f"不支持的格式：{fmt}")


def circular_file(circular: Circular, fmt: str) -> bytes:
    """The bytes to download: kept ones for an issued circular, fresh ones for a draft."""
    if not circular.is_issued:
        return render(circular, fmt)
    stored = CircularFile.objects.filter(circular=circular, format=fmt).values_list("data", flat=True).first()
    if stored is not None:
        return bytes(stored)
    return circular_file_store(circular, fmt)


def circular_file_store(circular: Circular, fmt: str) -> bytes:
    """Render and keep an issued circular's file once; a concurrent first render loses to the winner."""
    data = render(circular, fmt)
    try:
        with transaction.atomic():
            CircularFile.objects.create(
                circular=circular, format=fmt, data=data, size=len(data), sha256=hashlib.sha256(data).hexdigest()
            )
    except IntegrityError:
        return bytes(CircularFile.objects.get(circular=circular, format=fmt).data)
    return data
